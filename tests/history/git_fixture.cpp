#include "git_fixture.h"

#include <git2.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace stdfs = std::filesystem;

namespace cypp::testing {

namespace {

void check(int result, const std::string& what) {
    if (result >= 0) return;
    const git_error* error = git_error_last();
    throw std::runtime_error(what + ": " + (error && error->message ? error->message : "libgit2 error"));
}

// libgit2 for the test process, reading no system, global or XDG configuration, so the
// developer's own settings (safe.directory, hooks, ...) cannot change the outcome.
void initialise() {
    static std::once_flag once;
    std::call_once(once, [] {
        git_libgit2_init();
        for (git_config_level_t level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL,
                                         GIT_CONFIG_LEVEL_PROGRAMDATA})
            git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
    });
}

stdfs::path make_temp_folder() {
    std::string pattern = (stdfs::temp_directory_path() / "cypp-history-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
    // canonical: libgit2 reports canonical paths; keep ours comparable.
    return stdfs::canonical(pattern);
}

// days since 1970-01-01 (Howard Hinnant's days_from_civil).
long long days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

std::string slurp(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

struct Signature {
    git_signature* ptr = nullptr;
    explicit Signature(const std::string& date) {
        check(git_signature_new(&ptr, "Testshire Editor", "editor@testshire.example", noon_utc(date), 0), "signature");
    }
    ~Signature() { git_signature_free(ptr); }
};

}  // namespace

long long noon_utc(const std::string& date) {
    int y = 0, m = 0, d = 0;
    if (std::sscanf(date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) throw std::runtime_error("bad date " + date);
    return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400 + 12 * 3600;
}

TempFolder::TempFolder() : path_(make_temp_folder()) {}
TempFolder::~TempFolder() {
    std::error_code ignored;
    stdfs::remove_all(path_, ignored);
}

GitFixture::GitFixture(std::string site_folder) : site_folder_(std::move(site_folder)) {
    initialise();
    root_ = make_temp_folder();
    try {
        check(git_repository_init(&repo_, root_.c_str(), 0), "git init");
        stdfs::create_directories(site());
    } catch (...) {
        std::error_code ignored;
        stdfs::remove_all(root_, ignored);
        throw;
    }
}

GitFixture::~GitFixture() {
    git_repository_free(repo_);
    std::error_code ignored;
    stdfs::remove_all(root_, ignored);
}

stdfs::path GitFixture::site() const { return site_folder_.empty() ? root_ : root_ / site_folder_; }

void GitFixture::add_fixture(const std::string& fixture) const {
    stdfs::copy(stdfs::path(CYPP_FIXTURES) / fixture, site(),
                stdfs::copy_options::recursive | stdfs::copy_options::overwrite_existing);
}

std::string GitFixture::read(const std::string& relative) const { return slurp(site() / relative); }

void GitFixture::write(const std::string& relative, const std::string& content) const {
    const stdfs::path path = (site() / relative).lexically_normal();
    stdfs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

void GitFixture::replace(const std::string& relative, const std::string& from, const std::string& to) const {
    std::string content = read(relative);
    const std::size_t at = content.find(from);
    if (at == std::string::npos) throw std::runtime_error("\"" + from + "\" not found in " + relative);
    write(relative, content.replace(at, from.size(), to));
}

void GitFixture::remove(const std::string& relative) const {
    if (!stdfs::remove((site() / relative).lexically_normal())) throw std::runtime_error("no file " + relative);
}

void GitFixture::rename(const std::string& from, const std::string& to) const {
    stdfs::rename(site() / from, site() / to);
}

void GitFixture::stage(const std::string& relative) const {
    git_index* index = nullptr;
    check(git_repository_index(&index, repo_), "index");
    const std::string path = ((site() / relative).lexically_normal()).lexically_relative(root_).generic_string();
    int result = git_index_add_bypath(index, path.c_str());
    if (result >= 0) result = git_index_write(index);
    git_index_free(index);
    check(result, "stage " + path);
}

std::string GitFixture::commit(const std::string& subject, const std::string& date, const std::string& change_note) const {
    git_index* index = nullptr;
    check(git_repository_index(&index, repo_), "index");
    char everything[] = "*";
    char* paths[] = {everything};
    git_strarray pathspec{paths, 1};
    git_oid tree_id;
    int result = git_index_add_all(index, &pathspec, GIT_INDEX_ADD_DEFAULT, nullptr, nullptr);
    if (result >= 0) result = git_index_update_all(index, &pathspec, nullptr, nullptr);
    if (result >= 0) result = git_index_write(index);
    if (result >= 0) result = git_index_write_tree(&tree_id, index);
    git_index_free(index);
    check(result, "stage everything");

    git_tree* tree = nullptr;
    check(git_tree_lookup(&tree, repo_, &tree_id), "tree");
    git_commit* parent = nullptr;
    git_oid parent_id;
    if (git_reference_name_to_id(&parent_id, repo_, "HEAD") == 0) {
        if (git_commit_lookup(&parent, repo_, &parent_id) < 0) {
            git_tree_free(tree);
            check(-1, "parent commit");
        }
    }
    std::string message = subject + "\n";
    if (!change_note.empty()) message += "\nChange-note: " + change_note + "\n";
    Signature signature(date);
    const git_commit* parents[] = {parent};
    git_oid commit_id;
    result = git_commit_create(&commit_id, repo_, "HEAD", signature.ptr, signature.ptr, nullptr, message.c_str(), tree,
                               parent ? 1 : 0, parents);
    git_commit_free(parent);
    git_tree_free(tree);
    check(result, "commit");
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &commit_id);
    return hex;
}

void GitFixture::tag(const std::string& name, const std::string& commit, const std::string& message,
                     const std::string& date) const {
    git_oid oid;
    check(git_oid_fromstr(&oid, commit.c_str()), "commit id");
    git_object* target = nullptr;
    check(git_object_lookup(&target, repo_, &oid, GIT_OBJECT_COMMIT), "tag target");
    Signature signature(date);
    git_oid tag_id;
    const int result = git_tag_create(&tag_id, repo_, name.c_str(), target, signature.ptr, message.c_str(), 0);
    git_object_free(target);
    check(result, "tag " + name);
}

void GitFixture::lightweight_tag(const std::string& name, const std::string& commit) const {
    git_oid oid;
    check(git_oid_fromstr(&oid, commit.c_str()), "commit id");
    git_reference* reference = nullptr;
    check(git_reference_create(&reference, repo_, ("refs/tags/" + name).c_str(), &oid, 0, "test"), "lightweight tag");
    git_reference_free(reference);
}

void GitFixture::export_site(const std::string& commit, const stdfs::path& dest) const {
    git_oid oid;
    check(git_oid_fromstr(&oid, commit.c_str()), "commit id");
    git_commit* found = nullptr;
    check(git_commit_lookup(&found, repo_, &oid), "commit");
    git_tree* root = nullptr;
    int result = git_commit_tree(&root, found);
    git_commit_free(found);
    check(result, "commit tree");
    git_tree* site_tree = root;
    if (!site_folder_.empty()) {
        git_tree_entry* entry = nullptr;
        result = git_tree_entry_bypath(&entry, root, site_folder_.c_str());
        if (result >= 0) result = git_tree_lookup(&site_tree, repo_, git_tree_entry_id(entry));
        git_tree_entry_free(entry);
        git_tree_free(root);
        check(result, "site tree");
    }
    struct Payload {
        git_repository* repo;
        stdfs::path dest;
        std::string failure;
    } payload{repo_, dest, {}};
    stdfs::create_directories(dest);
    result = git_tree_walk(
        site_tree, GIT_TREEWALK_PRE,
        [](const char* folder, const git_tree_entry* entry, void* data) -> int {
            auto* payload = static_cast<Payload*>(data);
            const stdfs::path path = payload->dest / folder / git_tree_entry_name(entry);
            if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
                stdfs::create_directories(path);
                return 0;
            }
            git_blob* blob = nullptr;
            if (git_blob_lookup(&blob, payload->repo, git_tree_entry_id(entry)) < 0) {
                payload->failure = "blob " + path.string();
                return -1;
            }
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            out.write(static_cast<const char*>(git_blob_rawcontent(blob)), static_cast<std::streamsize>(git_blob_rawsize(blob)));
            git_blob_free(blob);
            if (!out) payload->failure = "write " + path.string();
            return out ? 0 : -1;
        },
        &payload);
    git_tree_free(site_tree);
    if (!payload.failure.empty()) throw std::runtime_error("export: " + payload.failure);
    check(result, "tree walk");
}

}  // namespace cypp::testing
