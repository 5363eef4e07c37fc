// output/input_file: inputs are regular files of bounded size, an output is never an input
// (by device and inode), text is checked as UTF-8, long values are quoted in part (issue 12).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "model/errors.hpp"
#include "output/input_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sesim;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;
using sesim::test::TempDir;

TEST_CASE("input_file: only regular files of bounded size are read", "[input_file]") {
    TempDir d("inputs");
    const fs::path ok = d.write("a.ini", "months = 12\n");
    CHECK(read_text_input(ok, "scenario file") == "months = 12\n");
    CHECK_THROWS_WITH(read_text_input("/dev/zero", "scenario file"),
                      Contains("character device") && Contains("regular files only"));
    CHECK_THROWS_WITH(read_text_input(d / "missing.ini", "scenario file"),
                      Contains("no such file"));
    CHECK_THROWS_WITH(read_text_input(d.path, "scenario file"), Contains("is a directory"));
    const fs::path fifo = d / "fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH(read_text_input(fifo, "scenario file"), Contains("pipe (FIFO)"));
    CHECK_THROWS_WITH(read_text_input(ok, "scenario file", 5),
                      Contains("12 bytes, more than the 5"));
    CHECK_NOTHROW(check_regular_input(ok, "result file"));
    CHECK_THROWS_AS(check_regular_input("/dev/null", "result file"), InputError);
}

TEST_CASE("input_file: an output that is an input is refused, through links too", "[input_file]") {
    TempDir d("onto");
    const fs::path in = d.write("in.ini", "x = 1\n");
    CHECK_THROWS_WITH(refuse_output_onto_inputs(in, {in}, "sesim run"),
                      Contains("sesim run: the output") && Contains("is the input"));
    fs::create_hard_link(in, d / "hard.ini");
    CHECK_THROWS_WITH(refuse_output_onto_inputs(d / "hard.ini", {in}, "sesim run"),
                      Contains("(the same file)"));
    fs::create_symlink(in, d / "link.ini");
    CHECK_THROWS_AS(refuse_output_onto_inputs(d / "link.ini", {in}, "x"), InputError);
    // Another spelling of the path.
    CHECK_THROWS_AS(refuse_output_onto_inputs(d / "." / "in.ini", {in}, "x"), InputError);
    // A derived file (a sweep's OUT.partial) that is an input.
    CHECK_THROWS_WITH(refuse_output_onto_inputs(d / "out.h5", {in}, "x", {in}),
                      Contains("written for"));
    CHECK_NOTHROW(refuse_output_onto_inputs(d / "out.h5", {in}, "x"));
    d.write("other.ini", "x = 2\n");
    CHECK_NOTHROW(refuse_output_onto_inputs(d / "other.ini", {in}, "x"));
}

TEST_CASE("input_file: UTF-8 is checked as RFC 3629 defines it", "[input_file]") {
    CHECK(invalid_utf8_at("plain ascii") == std::string_view::npos);
    CHECK(invalid_utf8_at("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == std::string_view::npos);
    CHECK(invalid_utf8_at("caf\xE9") == 3);           // Latin-1
    CHECK(invalid_utf8_at("a\xC0\xAF") == 1);         // overlong '/'
    CHECK(invalid_utf8_at("ab\xED\xA0\x80") == 2);    // a UTF-16 surrogate
    CHECK(invalid_utf8_at("\xF4\x90\x80\x80") == 0);  // above U+10FFFF
    CHECK(invalid_utf8_at("x\xE2\x82") == 1);         // cut short
    CHECK(invalid_utf8_at("\x80") == 0);              // a lone continuation byte
}

TEST_CASE("input_file: long values are quoted in part", "[input_file]") {
    CHECK(short_text("abc") == "'abc'");
    const std::string big(10'000'000, '7');
    const std::string q = short_text(big);
    CHECK(q.size() < 100);
    CHECK_THAT(q, Contains("(10000000 bytes)"));
    // Not cut inside a character: 59 ASCII bytes then a 2-byte character across the limit.
    const std::string mixed = std::string(59, 'a') + "\xC3\xA9" + std::string(10, 'b');
    CHECK(short_text(mixed).find('\xC3') == std::string::npos);
}
