#include "cli/publish_commands.h"

#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <variant>

#include "cli/source_date.h"
#include "fs/output_tree.h"
#include "publish/bundle.h"
#include "publish/verify.h"

namespace cypp::cli {

namespace stdfs = std::filesystem;

int run_verify(const std::string& path, std::ostream& out, std::ostream& err) {
    std::error_code ec;
    if (!stdfs::exists(path, ec)) {
        err << path << ": error[CY102]: does not exist\n";
        return 2;
    }
    const bool folder = stdfs::is_directory(path, ec);
    publish::VerifyReport report = folder ? publish::verify_folder(path) : publish::verify_bundle(path);
    out << publish::format_report(report);
    if (!report.error.empty()) return 2;
    return report.ok() ? 0 : 1;
}

int run_bundle(const std::string& folder, std::ostream& out, std::ostream& err) {
    const stdfs::path source = fs::folder_named(folder);
    std::error_code ec;
    if (!stdfs::is_regular_file(source / "manifest.json", ec)) {
        err << folder << ": error[CY115]: not a built site (no manifest.json)\n"
            << "  hint: run cypp build first and give its output folder\n";
        return 2;
    }
    long long mtime = 0;
    auto source_date = parse_source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"));
    if (auto* date = std::get_if<model::Date>(&source_date)) mtime = model::days_from_civil(*date) * 86400LL;
    const std::string name = source.filename().string();
    for (auto [format, extension] : {std::pair{publish::BundleFormat::tar_gz, ".tar.gz"}, std::pair{publish::BundleFormat::zip, ".zip"}}) {
        const stdfs::path archive = source.parent_path() / (name + extension);
        if (auto failure = publish::write_bundle(source, archive, format, name, mtime)) {
            err << archive.string() << ": error[CY601]: " << *failure << '\n';
            return 2;
        }
        out << "Wrote " << archive.string() << '\n';
    }
    return 0;
}

}  // namespace cypp::cli
