// SHA-256 (FIPS 180-4), for the digests of result data (output/digest.hpp), computed by
// OpenSSL's libcrypto (EVP interface, Debian's libssl-dev): a well-kept, widely checked
// implementation rather than our own. Checked against the FIPS 180-4 test vectors and a
// recorded file digest in tests/output/test_digest.cpp.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace sesim {

class Sha256 {
  public:
    // std::runtime_error if OpenSSL cannot provide SHA-256 (a broken installation).
    Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    ~Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view text) { update(text.data(), text.size()); }
    // The digest of everything passed to update(); the object must not be used afterwards.
    std::array<std::uint8_t, 32> finish();
    // finish() as 64 lower-case hex digits, as `sha256sum` prints it.
    std::string finish_hex();

  private:
    evp_md_ctx_st* ctx_ = nullptr;
};

// The SHA-256 of `text`, in hex.
std::string sha256_hex(std::string_view text);

}  // namespace sesim
