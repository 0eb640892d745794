// Temporary folders and file helpers shared by the publish tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

#include "fs/output_tree.h"
#include "publish/manifest.h"

namespace publish_test {

namespace stdfs = std::filesystem;

inline stdfs::path fresh_folder(const std::string& name) {
    stdfs::path folder =
        stdfs::temp_directory_path() / ("cypp-publish-test-" + std::to_string(::getpid()) + "-" + name);
    stdfs::remove_all(folder);
    stdfs::create_directories(folder);
    return folder;
}

inline std::string slurp(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

inline void spit(const stdfs::path& path, const std::string& content) {
    stdfs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

// Every regular file under folder: relative '/' path → content.
inline std::map<std::string, std::string> read_tree(const stdfs::path& folder) {
    std::map<std::string, std::string> files;
    for (const auto& entry : stdfs::recursive_directory_iterator(folder))
        if (entry.is_regular_file()) files[entry.path().lexically_relative(folder).generic_string()] = slurp(entry.path());
    return files;
}

inline std::string quoted(const stdfs::path& path) { return "'" + path.string() + "'"; }

// What cypp verify says of an exact copy of count files whose manifest.json holds manifest.
inline std::string exact_copy_report(std::size_t count, const std::string& manifest) {
    return "OK: " + std::to_string(count) + " files match the manifest\nmanifest.json SHA-256: " +
           cypp::publish::sha256_hex(manifest) + " (the official copy's must be the same)\n";
}

// A small built site with a manifest, as a build would produce it.
inline cypp::fs::OutputTree sample_tree() {
    cypp::fs::OutputTree tree;
    tree.add("index.html", "<h1>Children and Young People's Plan</h1>\n");
    tree.add("plan/2012-2015/index.html", "<p>Priorities</p>\n");
    tree.add("plan/2012-2015/child/index.html", "<p>For children</p>\n");
    tree.add("assets/site.css", "body { font-family: sans-serif; }\n");
    tree.add("deadlines.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    tree.add("empty.txt", "");
    cypp::publish::ManifestInfo info;
    info.board = "Example Children's Trust Board";
    info.plan_title = "Children and Young People's Plan 2012-2015";
    info.period = "2012-2015";
    info.revision_id = "2013-07-01";
    info.commit = "0123456789abcdef0123456789abcdef01234567";
    info.build_time = "2013-07-01";
    info.generator = "cypp 0.1.0";
    info.official_url = "https://example.gov.uk/cypp/";
    cypp::publish::add_manifest(tree, info);
    return tree;
}

}  // namespace publish_test
