#include "history/history.h"

#include <git2.h>

#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace cypp::history {

namespace stdfs = std::filesystem;

struct History::Repository {
    git_repository* repo = nullptr;
    std::string site_prefix;  // the site folder inside the repository, "" or "a/b/"
    ~Repository() { git_repository_free(repo); }
};

History::History() = default;
History::~History() = default;
History::History(History&&) noexcept = default;
History& History::operator=(History&&) noexcept = default;

std::optional<std::size_t> History::last_change(const std::string& path) const {
    auto found = last_change_.find(path);
    if (found == last_change_.end()) return std::nullopt;
    return found->second;
}

namespace {

void initialise_libgit2() {
    static std::once_flag once;
    std::call_once(once, [] {
        git_libgit2_init();
        // We only read our own history, which git itself wrote: re-hashing every object
        // read is most of libgit2's cost on a long walk.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    });
}

std::string last_git_error() {
    const git_error* error = git_error_last();
    return error && error->message ? error->message : "unknown libgit2 error";
}

std::string hex(const git_oid* oid) {
    char buffer[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buffer, sizeof buffer, oid);
    return buffer;
}

// RAII for the handful of libgit2 objects used here.
template <typename T, void (*Free)(T*)>
struct Owned {
    T* ptr = nullptr;
    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    ~Owned() {
        if (ptr) Free(ptr);
    }
    T** out() { return &ptr; }
    T* get() const { return ptr; }
};
using Commit = Owned<git_commit, git_commit_free>;
using Tree = Owned<git_tree, git_tree_free>;
using TreeEntry = Owned<git_tree_entry, git_tree_entry_free>;
using Blob = Owned<git_blob, git_blob_free>;
using Walk = Owned<git_revwalk, git_revwalk_free>;

// The site folder's tree inside a commit's tree, or nothing when absent.
bool site_tree_of(git_repository* repo, git_tree* root, const std::string& prefix, Tree& site) {
    if (prefix.empty()) return git_tree_lookup(site.out(), repo, git_tree_id(root)) == 0;
    TreeEntry entry;
    if (git_tree_entry_bypath(entry.out(), root, prefix.substr(0, prefix.size() - 1).c_str()) != 0) return false;
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) return false;
    return git_tree_lookup(site.out(), repo, git_tree_entry_id(entry.get())) == 0;
}

struct TreeChanges {
    std::set<std::string> added, removed, modified;
};

// Compares two trees by merging their sorted entry lists, descending only into
// subtrees whose ids differ: cheaper than git_diff, which we would only use to list
// changed paths, and linear in the size of each changed tree.
void compare_trees(git_repository* repo, git_tree* before, git_tree* after, const std::string& base, TreeChanges& changes) {
    const std::size_t old_count = before ? git_tree_entrycount(before) : 0;
    const std::size_t new_count = after ? git_tree_entrycount(after) : 0;
    auto visit = [&](const git_tree_entry* old_entry, const git_tree_entry* new_entry) {
        if (old_entry && new_entry && git_oid_equal(git_tree_entry_id(old_entry), git_tree_entry_id(new_entry))) return;
        const std::string name = git_tree_entry_name(new_entry ? new_entry : old_entry);
        // A blob replaced by a subtree of the same name arrives as two visits (git
        // orders them apart): one removal, one addition.
        const bool old_is_tree = old_entry && git_tree_entry_type(old_entry) == GIT_OBJECT_TREE;
        const bool new_is_tree = new_entry && git_tree_entry_type(new_entry) == GIT_OBJECT_TREE;
        if (old_is_tree || new_is_tree) {
            Tree old_tree, new_tree;
            if (old_is_tree) git_tree_lookup(old_tree.out(), repo, git_tree_entry_id(old_entry));
            if (new_is_tree) git_tree_lookup(new_tree.out(), repo, git_tree_entry_id(new_entry));
            compare_trees(repo, old_tree.get(), new_tree.get(), base + name + "/", changes);
        }
        const bool old_is_blob = old_entry && !old_is_tree, new_is_blob = new_entry && !new_is_tree;
        if (old_is_blob && new_is_blob) changes.modified.insert(base + name);
        else if (new_is_blob) changes.added.insert(base + name);
        else if (old_is_blob) changes.removed.insert(base + name);
    };
    std::size_t i = 0, j = 0;
    while (i < old_count || j < new_count) {
        const git_tree_entry* old_entry = i < old_count ? git_tree_entry_byindex(before, i) : nullptr;
        const git_tree_entry* new_entry = j < new_count ? git_tree_entry_byindex(after, j) : nullptr;
        // Both lists are in git's order (a subtree sorts as if its name ended in '/').
        const int order = !old_entry ? 1 : !new_entry ? -1 : git_tree_entry_cmp(old_entry, new_entry);
        if (order == 0) {
            visit(old_entry, new_entry);
            ++i, ++j;
        } else if (order < 0) {
            visit(old_entry, nullptr);
            ++i;
        } else {
            visit(nullptr, new_entry);
            ++j;
        }
    }
}

std::optional<std::string> read_blob(git_repository* repo, git_tree* tree, const std::string& path) {
    if (!tree) return std::nullopt;
    TreeEntry entry;
    if (git_tree_entry_bypath(entry.out(), tree, path.c_str()) != 0) return std::nullopt;
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::nullopt;
    Blob blob;
    if (git_blob_lookup(blob.out(), repo, git_tree_entry_id(entry.get())) != 0) return std::nullopt;
    return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                       static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

std::string change_note(const git_commit* commit) {
    const char* message = git_commit_message(commit);
    if (!message) return {};
    git_message_trailer_array trailers{};
    std::string note;
    if (git_message_trailers(&trailers, message) == 0) {
        for (std::size_t i = 0; i < trailers.count; ++i) {
            std::string key = trailers.trailers[i].key;
            for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (key == "change-note") note = trailers.trailers[i].value;
        }
        git_message_trailer_array_free(&trailers);
    }
    return note;
}

model::Date commit_date(const git_commit* commit) {
    const git_signature* author = git_commit_author(commit);
    const git_time_t seconds = author->when.time + author->when.offset * 60;
    long days = static_cast<long>(seconds / 86400);
    if (seconds < 0 && seconds % 86400 != 0) --days;
    return model::civil_from_days(days);
}

// Annotated tags mark publications too: their message is the change note.
std::unordered_map<std::string, std::string> tag_notes(git_repository* repo) {
    std::unordered_map<std::string, std::string> notes;
    struct Context {
        git_repository* repo;
        std::unordered_map<std::string, std::string>* notes;
    } context{repo, &notes};
    git_tag_foreach(
        repo,
        [](const char*, git_oid* oid, void* payload) {
            auto* context = static_cast<Context*>(payload);
            git_tag* tag = nullptr;
            if (git_tag_lookup(&tag, context->repo, oid) != 0) return 0;  // a lightweight tag
            if (git_tag_target_type(tag) == GIT_OBJECT_COMMIT) {
                std::string message = git_tag_message(tag) ? git_tag_message(tag) : "";
                while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
                (*context->notes)[hex(git_tag_target_id(tag))] = message;
            }
            git_tag_free(tag);
            return 0;
        },
        &context);
    return notes;
}

bool is_content(const std::string& path) {
    return path == "site.json" || path.starts_with("plans/") || path.starts_with("theme/");
}

// "plans/2011-2014/reviews/2012-13/review.md" -> plan "2011-2014", review "2012-13".
void classify(Revision& revision) {
    for (const std::string& path : revision.changed) {
        if (!path.starts_with("plans/")) continue;
        std::size_t slash = path.find('/', 6);
        if (slash == std::string::npos) continue;
        if (revision.plan_id.empty()) revision.plan_id = path.substr(6, slash - 6);
        const std::string rest = path.substr(slash + 1);
        if (rest.starts_with("reviews/") && revision.review.empty()) {
            std::size_t end = rest.find('/', 8);
            if (end != std::string::npos) revision.review = rest.substr(8, end - 8);
        }
    }
}

class GitTreeSource final : public fs::SiteSource {
public:
    GitTreeSource(git_repository* repo, git_tree* site_tree) : repo_(repo) { tree_.ptr = site_tree; }
    fs::ReadResult read(const std::string& relative, std::uintmax_t max_bytes) const override {
        TreeEntry entry;
        if (!tree_.get() || git_tree_entry_bypath(entry.out(), tree_.get(), relative.c_str()) != 0)
            return {fs::ReadStatus::missing, {}};
        if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return {fs::ReadStatus::not_a_file, {}};
        Blob blob;
        if (git_blob_lookup(blob.out(), repo_, git_tree_entry_id(entry.get())) != 0) return {fs::ReadStatus::unreadable, {}};
        if (static_cast<std::uintmax_t>(git_blob_rawsize(blob.get())) > max_bytes) return {fs::ReadStatus::too_large, {}};
        return {fs::ReadStatus::ok, std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                                static_cast<std::size_t>(git_blob_rawsize(blob.get())))};
    }
    bool is_file(const std::string& relative) const override { return type_of(relative) == GIT_OBJECT_BLOB; }
    bool is_directory(const std::string& relative) const override { return type_of(relative) == GIT_OBJECT_TREE; }

private:
    git_object_t type_of(const std::string& relative) const {
        TreeEntry entry;
        if (!tree_.get() || git_tree_entry_bypath(entry.out(), tree_.get(), relative.c_str()) != 0) return GIT_OBJECT_INVALID;
        return git_tree_entry_type(entry.get());
    }
    git_repository* repo_;
    Tree tree_;
};

// The folder holding .git above the site: what git's safe.directory must name.
stdfs::path repository_folder(const stdfs::path& site) {
    std::error_code ec;
    for (stdfs::path folder = site; !folder.empty(); folder = folder.parent_path()) {
        if (stdfs::exists(folder / ".git", ec)) return folder;
        if (folder == folder.root_path()) break;
    }
    return site;
}

}  // namespace

std::unique_ptr<fs::SiteSource> History::source_at(const Revision& revision) const {
    if (!repository_) return nullptr;
    git_oid oid;
    Commit commit;
    Tree root, site;
    if (git_oid_fromstr(&oid, revision.commit.c_str()) != 0 || git_commit_lookup(commit.out(), repository_->repo, &oid) != 0 ||
        git_commit_tree(root.out(), commit.get()) != 0 || !site_tree_of(repository_->repo, root.get(), repository_->site_prefix, site))
        return nullptr;
    git_tree* tree = site.ptr;
    site.ptr = nullptr;
    return std::make_unique<GitTreeSource>(repository_->repo, tree);
}

std::optional<std::string> History::read_at(const Revision& revision, const std::string& path) const {
    auto source = source_at(revision);
    if (!source) return std::nullopt;
    fs::ReadResult read = source->read(path, 64 * 1024 * 1024);
    if (read.status != fs::ReadStatus::ok) return std::nullopt;
    return std::move(read.text);
}

History read_history(const stdfs::path& site_dir, const std::string& display_root, diag::Diagnostics& diagnostics) {
    initialise_libgit2();
    History history;
    auto repository = std::make_unique<History::Repository>();
    std::error_code ec;
    const stdfs::path site = stdfs::canonical(site_dir, ec);
    int opened = git_repository_open_ext(&repository->repo, site.c_str(), 0, nullptr);
    // libgit2 1.5 reports a repository owned by another user as "not found" when no
    // safe.directory is configured at all (fixed in 1.6): recognise it by its message.
    if (opened == GIT_ENOTFOUND && last_git_error().find("safe.directory") != std::string::npos) opened = GIT_EOWNER;
    if (opened == GIT_ENOTFOUND) {
        diagnostics.warning("CY701", display_root, 0, 0, "the site is not in a git repository, so it is published without its revision history",
                            "keep the site in git (git init; git add .; git commit) to publish its history");
        history.availability_ = Availability::not_a_repository;
        return history;
    }
    if (opened == GIT_EOWNER) {
        diagnostics.error("CY703", display_root, 0, 0,
                          "the git repository is owned by another user, so git refuses to read it: " + last_git_error(),
                          "run: git config --global --add safe.directory '" + repository_folder(site).string() +
                              "' (in CI containers: for the checkout folder), or run cypp as the repository's owner");
        history.availability_ = Availability::failed;
        return history;
    }
    if (opened != 0) {
        diagnostics.error("CY705", display_root, 0, 0, "cannot open the git repository: " + last_git_error());
        history.availability_ = Availability::failed;
        return history;
    }
    git_repository* repo = repository->repo;
    if (git_repository_is_shallow(repo) == 1) {
        diagnostics.error("CY702", display_root, 0, 0,
                          "the repository is a shallow clone, so its revision history is incomplete",
                          "fetch the whole history: git fetch --unshallow (in GitHub Actions: actions/checkout with "
                          "fetch-depth: 0; in GitLab CI: GIT_DEPTH: 0)");
        history.availability_ = Availability::failed;
        return history;
    }
    const char* workdir = git_repository_workdir(repo);
    if (!workdir) {
        diagnostics.error("CY705", display_root, 0, 0, "the git repository has no working folder (a bare repository)");
        history.availability_ = Availability::failed;
        return history;
    }
    const stdfs::path top = stdfs::canonical(workdir, ec);
    std::string prefix = site.lexically_relative(top).generic_string();
    prefix = (prefix == "." || prefix.empty()) ? std::string() : prefix + "/";
    repository->site_prefix = prefix;

    git_oid head;
    if (git_reference_name_to_id(&head, repo, "HEAD") != 0) {
        diagnostics.warning("CY701", display_root, 0, 0, "the git repository has no commits yet, so there is no revision history",
                            "commit the site to start its history");
        history.availability_ = Availability::not_a_repository;
        return history;
    }

    const auto tags = tag_notes(repo);
    Walk walk;
    git_revwalk_new(walk.out(), repo);
    git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    git_revwalk_push(walk.get(), &head);

    struct OidHash {
        std::size_t operator()(const git_oid& oid) const {
            std::size_t hash;
            std::memcpy(&hash, oid.id, sizeof hash);
            return hash;
        }
    };
    struct OidEqual {
        bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
    };
    std::unordered_map<git_oid, git_oid, OidHash, OidEqual> site_tree_ids;  // commit -> its site tree (when present)
    std::set<std::string> known_plans;
    TreeChanges pending;
    git_oid oid;
    while (git_revwalk_next(&oid, walk.get()) == 0) {
        Commit commit;
        Tree root, site_tree;
        if (git_commit_lookup(commit.out(), repo, &oid) != 0 || git_commit_tree(root.out(), commit.get()) != 0) {
            diagnostics.error("CY705", display_root, 0, 0, "cannot read commit " + hex(&oid) + ": " + last_git_error());
            history.availability_ = Availability::failed;
            return history;
        }
        const bool has_site = site_tree_of(repo, root.get(), prefix, site_tree);
        if (has_site) site_tree_ids[oid] = *git_tree_id(site_tree.get());

        Tree parent_site;
        bool parent_has_site = false;
        if (git_commit_parentcount(commit.get()) > 0) {
            auto found = site_tree_ids.find(*git_commit_parent_id(commit.get(), 0));
            if (found != site_tree_ids.end()) {
                parent_has_site = true;
                if (has_site && git_oid_equal(&found->second, git_tree_id(site_tree.get()))) continue;  // site untouched
                git_tree_lookup(parent_site.out(), repo, &found->second);
            }
        }
        if (!has_site && !parent_has_site) continue;

        TreeChanges changes;
        compare_trees(repo, parent_site.get(), site_tree.get(), "", changes);
        // Only what is published counts: a README or notes beside the content are not news.
        for (auto* set : {&changes.added, &changes.removed, &changes.modified})
            std::erase_if(*set, [](const std::string& path) { return !is_content(path); });
        for (const auto& path : changes.added) {
            // Deleted and restored between revisions: it existed at the last one.
            if (pending.removed.erase(path)) pending.modified.insert(path);
            else pending.added.insert(path);
        }
        for (const auto& path : changes.removed) {
            if (!pending.added.erase(path)) pending.removed.insert(path);
            pending.modified.erase(path);
        }
        for (const auto& path : changes.modified)
            if (!pending.added.count(path)) pending.modified.insert(path);

        Revision revision;
        revision.commit = hex(&oid);
        revision.note = change_note(commit.get());
        if (revision.note.empty()) {
            auto tag = tags.find(revision.commit);
            if (tag != tags.end()) revision.note = tag->second;
        }
        revision.date = commit_date(commit.get());
        for (const auto& path : changes.added) {
            // plans/<id>/plan.json appearing for the first time: that plan's first publication.
            if (!path.starts_with("plans/") || !path.ends_with("/plan.json")) continue;
            const std::string id = path.substr(6, path.size() - 6 - 10);
            if (id.find('/') != std::string::npos || !known_plans.insert(id).second) continue;
            revision.first_publication = true;
            auto text = read_blob(repo, site_tree.get(), path);
            auto plan = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
            const std::string title = plan.is_object() ? plan.value("title", id) : id;
            if (revision.note.empty()) revision.note = "First publication of " + title + ".";
            if (plan.is_object())
                if (auto published = model::parse_date(plan.value("published", ""))) revision.date = *published;
        }
        if (revision.note.empty()) continue;  // a minor change: not listed

        revision.added = pending.added;
        revision.removed = pending.removed;
        revision.changed = pending.modified;
        revision.changed.insert(pending.added.begin(), pending.added.end());
        revision.changed.insert(pending.removed.begin(), pending.removed.end());
        pending = {};
        revision.id = model::format_iso(revision.date) + "-" + revision.commit.substr(0, 7);
        classify(revision);
        for (const std::string& path : revision.changed) history.last_change_[path] = history.revisions_.size();
        history.revisions_.push_back(std::move(revision));
    }
    std::size_t unpublished = pending.added.size() + pending.removed.size() + pending.modified.size();
    if (unpublished > 0)
        diagnostics.warning("CY704", display_root, 0, 0,
                            std::to_string(unpublished) + " file" + (unpublished == 1 ? "" : "s") +
                                " changed since the last published revision, in commits without a change note",
                            "when the change is news, commit with a trailer line \"Change-note: what changed\"; "
                            "typo fixes need none");

    // Uncommitted changes, for marking pages "not yet published".
    git_status_options options = GIT_STATUS_OPTIONS_INIT;
    options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
    std::string pathspec = prefix.empty() ? std::string("*") : prefix + "*";
    char* pathspec_c = pathspec.data();
    options.pathspec = {&pathspec_c, 1};
    git_status_list* status = nullptr;
    if (git_status_list_new(&status, repo, &options) == 0) {
        for (std::size_t i = 0, n = git_status_list_entrycount(status); i < n; ++i) {
            const git_status_entry* entry = git_status_byindex(status, i);
            const git_diff_delta* delta = entry->index_to_workdir ? entry->index_to_workdir : entry->head_to_index;
            if (!delta || !delta->new_file.path) continue;
            std::string path = delta->new_file.path;
            if (path.starts_with(prefix)) history.uncommitted_.insert(path.substr(prefix.size()));
        }
        git_status_list_free(status);
    }

    history.availability_ = Availability::available;
    history.repository_ = std::move(repository);
    return history;
}

std::optional<GitFolders> find_git_folders(const stdfs::path& site_dir) {
    initialise_libgit2();
    std::error_code ec;
    const stdfs::path site = stdfs::canonical(site_dir, ec);
    if (ec) return std::nullopt;
    Owned<git_repository, git_repository_free> repository;
    if (git_repository_open_ext(repository.out(), site.c_str(), 0, nullptr) != 0) return std::nullopt;
    return GitFolders{git_repository_path(repository.get()), git_repository_commondir(repository.get())};
}

}  // namespace cypp::history
