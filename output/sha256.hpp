// SHA-256 (FIPS 180-4), for the digests of result data (output/digest.hpp). Our own small
// implementation so that digests need no new dependency; checked against the FIPS test vectors
// in tests/output/test_digest.cpp and against `sha256sum`.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sesim {

class Sha256 {
  public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view text) { update(text.data(), text.size()); }
    // The digest of everything passed to update(); the object must not be used afterwards.
    std::array<std::uint8_t, 32> finish();
    // finish() as 64 lower-case hex digits, as `sha256sum` prints it.
    std::string finish_hex();

  private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t used_ = 0;
    std::uint64_t bytes_ = 0;
};

// The SHA-256 of `text`, in hex.
std::string sha256_hex(std::string_view text);

}  // namespace sesim
