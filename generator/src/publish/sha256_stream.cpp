#include "publish/sha256_stream.h"

#include <openssl/evp.h>

#include <new>

namespace cypp::publish {

namespace {

// OpenSSL 3 looks the algorithm up among its providers on every EVP_sha256() init,
// taking locks: a build hashes every page it writes, so it is fetched once per process
// (and never freed: it lives as long as the library).
const EVP_MD* sha256_algorithm() {
    static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
}

}  // namespace

Sha256Stream::Sha256Stream() : context_(EVP_MD_CTX_new()) {
    // Only allocation can fail here; OpenSSL always provides SHA-256.
    if (context_ == nullptr || EVP_DigestInit_ex(context_, sha256_algorithm(), nullptr) != 1) {
        EVP_MD_CTX_free(context_);
        throw std::bad_alloc();
    }
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(context_); }

void Sha256Stream::update(std::string_view data) {
    if (!data.empty()) EVP_DigestUpdate(context_, data.data(), data.size());
}

std::string Sha256Stream::finish_hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_, digest, &length);
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    text.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 0x0f];
    }
    return text;
}

}  // namespace cypp::publish
