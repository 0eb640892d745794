#include "serve/site_watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <thread>

namespace cypp::serve {

namespace stdfs = std::filesystem;

namespace {

bool is_left_out_of_site(const std::string& folder_name) {
    return folder_name.starts_with('.') || folder_name == "public";
}

}  // namespace

SiteWatcher::SiteWatcher(const stdfs::path& site, const std::optional<history::GitFolders>& git)
    : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    watch_tree(site, Role::site_folder);
    if (!git) return;
    // Not with what is below: objects/ and logs/ change on every git add and commit.
    add(git->git_dir, Role::git_folder);
    if (git->common_dir != git->git_dir) add(git->common_dir, Role::git_folder);
    watch_tree(git->common_dir / "refs", Role::git_refs);
}

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
            auto found = watched_.find(event->wd);
            if (found == watched_.end()) continue;
            const Watched& watched = found->second;
            const std::string name = event->len ? event->name : "";
            if (!counts(watched.role, name)) continue;
            changed = true;
            if ((event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO)) && !name.empty())
                watch_tree(watched.folder / name, watched.role);
        }
    }
    return changed;
}

bool SiteWatcher::counts(Role role, const std::string& name) {
    switch (role) {
    case Role::site_folder:
        return true;
    case Role::git_folder:
        return name == "HEAD" || name == "packed-refs";
    case Role::git_refs:
        return !name.ends_with(".lock");  // git writes name.lock, then renames it to name
    }
    return true;
}

void SiteWatcher::watch_tree(const stdfs::path& root, Role role) {
    if (fd_ < 0) return;
    add(root, role);
    std::error_code ec;
    for (auto it = stdfs::recursive_directory_iterator(root, ec); !ec && it != stdfs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_directory()) continue;
        if (role == Role::site_folder && is_left_out_of_site(it->path().filename().string())) {
            it.disable_recursion_pending();
            continue;
        }
        add(it->path(), role);
    }
}

void SiteWatcher::add(const stdfs::path& folder, Role role) {
    const int wd = inotify_add_watch(fd_, folder.c_str(),
                                     IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
    if (wd >= 0) watched_[wd] = Watched{folder, role};
}

}  // namespace cypp::serve
