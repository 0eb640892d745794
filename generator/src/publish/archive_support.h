// publish (internal): what bundle.cpp and verify.cpp share around libarchive.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <memory>
#include <string>

namespace cypp::publish {

struct ArchiveWriteDeleter {
    void operator()(struct archive* a) const { archive_write_free(a); }
};
struct ArchiveReadDeleter {
    void operator()(struct archive* a) const { archive_read_free(a); }
};
struct ArchiveEntryDeleter {
    void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};
using ArchiveWriter = std::unique_ptr<struct archive, ArchiveWriteDeleter>;
using ArchiveReader = std::unique_ptr<struct archive, ArchiveReadDeleter>;
using ArchiveEntry = std::unique_ptr<struct archive_entry, ArchiveEntryDeleter>;

inline std::string archive_message(struct archive* a) {
    const char* text = archive_error_string(a);
    return text ? text : "unknown libarchive error";
}

// libarchive converts names through the locale's character set. cypp never calls
// setlocale, so that is "C" (ASCII), where non-ASCII names are mangled in zip headers
// and fail in pax ones. For as long as it lives, this switches the calling thread (only
// that thread: uselocale, not setlocale) to C.UTF-8, so names are stored as the UTF-8
// they are, the same on every machine. Create it before the archive object, which
// caches the character set on first use.
class ScopedUtf8Locale {
public:
    ScopedUtf8Locale() : utf8_(newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0))) {
        if (utf8_ != static_cast<locale_t>(0)) previous_ = uselocale(utf8_);
    }
    ~ScopedUtf8Locale() {
        if (utf8_ == static_cast<locale_t>(0)) return;
        uselocale(previous_);
        freelocale(utf8_);
    }
    ScopedUtf8Locale(const ScopedUtf8Locale&) = delete;
    ScopedUtf8Locale& operator=(const ScopedUtf8Locale&) = delete;

private:
    locale_t utf8_;
    locale_t previous_ = static_cast<locale_t>(0);
};

}  // namespace cypp::publish
