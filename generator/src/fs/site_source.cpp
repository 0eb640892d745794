#include "fs/site_source.h"

namespace cypp::fs {

ReadResult DiskSource::read(const std::string& relative, std::uintmax_t max_bytes) const {
    return read_file(root_ / relative, max_bytes);
}

bool DiskSource::is_file(const std::string& relative) const {
    std::error_code ec;
    return std::filesystem::is_regular_file(root_ / relative, ec);
}

bool DiskSource::is_directory(const std::string& relative) const {
    std::error_code ec;
    return std::filesystem::is_directory(root_ / relative, ec);
}

}  // namespace cypp::fs
