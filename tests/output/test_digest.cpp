// Unit tests of output/sha256 (FIPS 180-4 test vectors), the canonical byte form of
// output/digest (built here by hand), and digest_file on real result files.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "model/model.hpp"
#include "output/digest.hpp"
#include "output/platform.hpp"
#include "output/result_file.hpp"
#include "output/sha256.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace sesim;

namespace {

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("sesim-test-digest") {}
};

Scenario small_scenario(const std::string& name, int months) {
    Scenario s;
    s.name = name;
    s.params.g.months = months;
    return s;
}

void write_file(const fs::path& path, const std::vector<Scenario>& scenarios, int replicates,
                const std::string& command) {
    ResultFile f(path, make_provenance(command, 11, replicates), scenarios);
    for (int s = 0; s < static_cast<int>(scenarios.size()); ++s)
        for (int r = 0; r < replicates; ++r)
            f.write_run(s, r,
                        simulate(scenarios[static_cast<std::size_t>(s)].params, 11,
                                 static_cast<std::uint32_t>(r)));
    f.write_statistics();
    f.commit();
}

}  // namespace

TEST_CASE("SHA-256 gives the FIPS 180-4 digests", "[digest]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // The 896-bit message of FIPS 180-4's examples (two blocks after padding).
    CHECK(sha256_hex(
              "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
              "klmnopqrlmnopqrsmnopqrstnopqrstu") ==
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    // One million 'a', fed in uneven pieces to cross the 64-byte blocks at every offset.
    Sha256 h;
    const std::string piece(997, 'a');
    std::size_t left = 1000000;
    while (left > 0) {
        const std::size_t n = std::min(left, piece.size());
        h.update(piece.data(), n);
        left -= n;
    }
    CHECK(h.finish_hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("a dataset's digest covers its path, shape and little-endian values", "[digest]") {
    const std::vector<double> values{1.0, -2.5, 0.0, 1e300, 3.25, -0.0};
    DigestBuilder b;
    b.add("a/x", 2, 3, values.data());
    const FileDigest d = b.finish();

    // The canonical bytes, by hand.
    std::string bytes = "a/x";
    bytes += '\0';
    for (const std::uint64_t n : {std::uint64_t{2}, std::uint64_t{3}})
        for (int i = 0; i < 8; ++i) bytes += static_cast<char>((n >> (8 * i)) & 0xff);
    for (const double v : values) {
        std::uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        for (int i = 0; i < 8; ++i) bytes += static_cast<char>((bits >> (8 * i)) & 0xff);
    }
    REQUIRE(d.datasets.size() == 1);
    CHECK(d.datasets[0].sha256 == sha256_hex(bytes));
    CHECK(d.sha256 == sha256_hex(bytes));
    // Pinned: the same bytes hashed by Python's hashlib, an implementation independent of
    // ours (python3 -c "import struct,hashlib; print(hashlib.sha256(b'a/x\\0' +
    // struct.pack('<QQ', 2, 3) + struct.pack('<6d', 1.0, -2.5, 0.0, 1e300, 3.25,
    // -0.0)).hexdigest())"). The digests recorded for the published study are checked by
    // published.zwolle_haarlem_2019.
    CHECK(d.sha256 == "3b8d0ff06f02f3b7d07a73028f13faea7a83cebb5870011bcbd00c98e8790795");

    // The shape counts: the same values as 3 x 2 give another digest.
    DigestBuilder other;
    other.add("a/x", 3, 2, values.data());
    CHECK(other.finish().sha256 != d.sha256);
}

TEST_CASE("digest_file depends on the data only, not on when or how the file was made",
          "[digest]") {
    TempDir dir;
    const std::vector<Scenario> two{small_scenario("b", 14), small_scenario("a", 14)};
    write_file(dir.path / "one.h5", two, 3, "first command");
    // Another command line, creation time and scenario order: the same numbers.
    const std::vector<Scenario> swapped{two[1], two[0]};
    write_file(dir.path / "two.h5", swapped, 3, "second command");
    const FileDigest one = digest_file(dir.path / "one.h5");
    const FileDigest two_d = digest_file(dir.path / "two.h5");
    CHECK(one.sha256 == two_d.sha256);
    // Groups in name order, outputs in declaration order, replicates before statistics.
    REQUIRE(one.datasets.size() == 2 * 2 * static_cast<std::size_t>(kOutputs));
    CHECK(one.datasets[0].path == "a/" + std::string(kOutputDefs[0].name));
    CHECK(one.datasets[1].path == "a/" + std::string(kOutputDefs[0].name) + "_stats");
    CHECK(one.datasets[0].rows == 3);
    CHECK(one.datasets[1].rows == 7);
    CHECK(one.datasets[0].cols == 14);
    CHECK(one.datasets.back().path == "b/" + std::string(kOutputDefs.back().name) + "_stats");

    // Fewer replicates: other data, another digest.
    write_file(dir.path / "three.h5", two, 2, "first command");
    CHECK(digest_file(dir.path / "three.h5").sha256 != one.sha256);
}

TEST_CASE("digest_file refuses what is not a readable result file", "[digest]") {
    TempDir dir;
    std::ofstream(dir.path / "text.h5") << "not HDF5\n";
    CHECK_THROWS_AS(digest_file(dir.path / "text.h5"), InputError);
    CHECK_THROWS_AS(digest_file(dir.path / "missing.h5"), InputError);
}

TEST_CASE("the platform provenance is recorded and the libm fingerprint is stable", "[digest]") {
    const std::string fp = libm_fingerprint();
    CHECK(fp.size() == 16);
    CHECK(fp.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(libm_fingerprint() == fp);
    CHECK_FALSE(cpu_description().empty());
    CHECK_FALSE(libc_version().empty());
    const Provenance p = make_provenance("cmd", 1, 1);
    CHECK(p.libm_fingerprint == fp);
    CHECK(p.libc == libc_version());
}
