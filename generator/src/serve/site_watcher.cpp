#include "serve/site_watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <thread>

namespace cypp::serve {

namespace stdfs = std::filesystem;

SiteWatcher::SiteWatcher(const stdfs::path& site) : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) { watch_tree(site); }

SiteWatcher::~SiteWatcher() {
    if (fd_ >= 0) ::close(fd_);
}

bool SiteWatcher::wait(std::chrono::milliseconds timeout) {
    pollfd descriptor{fd_, POLLIN, 0};
    if (::poll(&descriptor, 1, static_cast<int>(timeout.count())) <= 0) return false;
    // Editors save in bursts (write, rename, chmod): let the burst finish, then drain it.
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    alignas(inotify_event) char buffer[16384];
    bool changed = false;
    for (ssize_t length; (length = ::read(fd_, buffer, sizeof buffer)) > 0;) {
        for (char* at = buffer; at < buffer + length;) {
            const auto* event = reinterpret_cast<const inotify_event*>(at);
            at += sizeof(inotify_event) + event->len;
            auto folder = folders_.find(event->wd);
            if (folder == folders_.end()) continue;
            changed = true;
            if ((event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO)) && event->len)
                watch_tree(folder->second / event->name);
        }
    }
    return changed;
}

void SiteWatcher::watch_tree(const stdfs::path& root) {
    if (fd_ < 0) return;
    add(root);
    std::error_code ec;
    for (auto it = stdfs::recursive_directory_iterator(root, ec); !ec && it != stdfs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_directory()) continue;
        const std::string name = it->path().filename().string();
        if (name.starts_with('.') || name == "public") {
            it.disable_recursion_pending();
            continue;
        }
        add(it->path());
    }
}

void SiteWatcher::add(const stdfs::path& folder) {
    const int wd = inotify_add_watch(fd_, folder.c_str(),
                                     IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
    if (wd >= 0) folders_[wd] = folder;
}

}  // namespace cypp::serve
