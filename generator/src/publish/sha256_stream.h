// publish (internal): SHA-256 over data that arrives in pieces, so that large files and
// archive entries are hashed without being held in memory. Owns the OpenSSL EVP context.
#pragma once

#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace cypp::publish {

class Sha256Stream {
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream&) = delete;
    Sha256Stream& operator=(const Sha256Stream&) = delete;

    void update(std::string_view data);
    // Lower-case hex digest; the stream cannot be updated afterwards.
    std::string finish_hex();

private:
    evp_md_ctx_st* context_;
};

}  // namespace cypp::publish
