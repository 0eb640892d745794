#include <catch2/catch.hpp>

#include <fcntl.h>
#include <random>
#include <regex>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_runner.h"

using namespace cypp::testing;
namespace stdfs = std::filesystem;

TEST_CASE("nothing outside the site folder is read, even through a symbolic link", "[cli][hostile]") {
    TempSite site("minimal");
    stdfs::remove(site.file("plans/2011-2014/chapters/needs.md"));
    stdfs::create_symlink("/etc/passwd", site.file("plans/2011-2014/chapters/needs.md"));
    RunResult result = run_cypp({"build", "--no-history", "--today", "2011-06-01"}, {}, site.path());
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.starts_with("plans/2011-2014/chapters/needs.md: error[CY116]: plans/2011-2014/chapters/needs.md leads "
                                   "outside the site folder"));
    REQUIRE_FALSE(stdfs::exists(site.file("public")));

    TempSite image_site("minimal");
    stdfs::create_symlink("/etc/hostname", image_site.file("plans/2011-2014/chapters/photo.png"));
    image_site.write("plans/2011-2014/chapters/needs.md",
                     image_site.read("plans/2011-2014/chapters/needs.md") + "\n![The Board meeting](photo.png)\n");
    RunResult image = run_cypp({"build", "--no-history", "--today", "2011-06-01"}, {}, image_site.path());
    REQUIRE(image.exit_code == 1);
    REQUIRE(image.err.find("error[CY116]: linked file leads outside the site folder") != std::string::npos);
    REQUIRE_FALSE(stdfs::exists(image_site.file("public")));
}

TEST_CASE("site-example's output has no script URLs and no event-handler attributes", "[cli][hostile]") {
    TempSite site = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    REQUIRE(run_cypp({"build", site.path().string(), "-o", (site.path() / "out").string(), "--today", "2013-07-01",
                      "--no-history"}).exit_code == 0);
    const std::regex handler(R"(<[^>]*\son[a-z]+\s*=)", std::regex::icase);
    int files = 0;
    for (const auto& [name, content] : read_tree(site.path() / "out")) {
        ++files;
        INFO(name);
        std::string lower = content;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        REQUIRE(lower.find("javascript:") == std::string::npos);
        REQUIRE(lower.find("vbscript:") == std::string::npos);
        REQUIRE(lower.find("data:text") == std::string::npos);
        if (name.ends_with(".html")) REQUIRE_FALSE(std::regex_search(content, handler));
    }
    REQUIRE(files > 30);
}

// Kills cypp build at random moments: the previous output must be whole every time.
TEST_CASE("a build killed at any moment leaves the previous output intact", "[cli][hostile][atomic]") {
    TempSite site = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    const stdfs::path out = site.path() / "out";
    const std::vector<std::string> arguments{CYPP_BINARY, "build", site.path().string(), "-o", out.string(),
                                             "--today", "2013-07-01", "--no-history", "--no-pdf"};
    REQUIRE(run_cypp({"build", site.path().string(), "-o", out.string(), "--today", "2013-07-01", "--no-history"}).exit_code == 0);
    const auto reference = read_tree(out);
    std::mt19937 random(20131);  // fixed seed: a failure can be replayed
    for (int attempt = 0; attempt < 50; ++attempt) {
        pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            std::vector<char*> argv;
            for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
            argv.push_back(nullptr);
            int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, STDOUT_FILENO);
            ::dup2(devnull, STDERR_FILENO);
            ::execv(CYPP_BINARY, argv.data());
            ::_exit(127);
        }
        ::usleep(std::uniform_int_distribution<int>(0, 120000)(random));
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        INFO("attempt " << attempt);
        REQUIRE(read_tree(out) == reference);
    }
    // The next build clears what the killed ones left beside the output.
    REQUIRE(run_cypp({"build", site.path().string(), "-o", out.string(), "--today", "2013-07-01", "--no-history"}).exit_code == 0);
    int leftovers = 0;
    for (const auto& entry : stdfs::directory_iterator(site.path()))
        leftovers += entry.path().filename().string().starts_with(".out.cypp-");
    REQUIRE(leftovers == 0);
    REQUIRE(read_tree(out) == reference);
}
