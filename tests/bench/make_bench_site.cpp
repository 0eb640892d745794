// Writes the synthetic site of the issue #7 benchmark, deterministically (fixed seed, own
// random generator, no standard distributions whose results differ between libraries).
// Usage: make_bench_site OUT_DIR CHAPTERS [--fixture DIR] [--seed N]
//   OUT_DIR/cypp/  a cypp site: the files of tests/fixtures/minimal (so every rule holds)
//                  with CHAPTERS generated chapters appended to plans/2011-2014/plan.json
//   OUT_DIR/hugo/  a Hugo site with the same chapter bodies, one minimal template, no theme
//   OUT_DIR/md/    the chapter bodies alone, for the floor program
// Each chapter is about 2 KB of policy-document Markdown: ## and ### headings, paragraphs,
// bulleted and numbered lists, a table on every other page, links to other chapters'
// headings (they exist), emphasis, strikethrough and autolinks. Chapter i's text depends
// only on the seed, i and CHAPTERS (which chapters its links may point to).
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#ifndef BENCH_FIXTURE
#define BENCH_FIXTURE ""
#endif

namespace fs = std::filesystem;

namespace {

// splitmix64: small, fast, and the same sequence everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& items) { return items[below(N)]; }

private:
    std::uint64_t state_;
};

using Words = std::string_view;

constexpr std::array<Words, 12> subjects = {
    "The Children's Trust Board", "Partners", "Schools and early years settings", "The local authority",
    "Health visitors and school nurses", "The youth service", "Children's centres", "NHS Testshire",
    "Voluntary and community sector partners", "The Local Safeguarding Children Board",
    "The Youth Offending Service", "Jobcentre Plus"};
constexpr std::array<Words, 8> verbs = {
    "will work together to", "will continue to", "will", "will work with families to",
    "will do more to", "will review how best to", "will find new ways to", "will ask young people how to"};
constexpr std::array<Words, 16> actions = {
    "improve outcomes for looked after children",
    "reduce the number of young people not in education, employment or training",
    "narrow the gap in attainment at Key Stage 2",
    "support families at the earliest opportunity",
    "increase participation in positive activities",
    "reduce the rate of teenage conceptions",
    "improve the emotional health and well-being of children and young people",
    "strengthen multi-agency safeguarding arrangements",
    "make short breaks easier to reach for disabled children and their families",
    "cut the number of first-time entrants to the youth justice system",
    "raise attendance in primary and secondary schools",
    "reduce childhood obesity through active travel and school meals",
    "help young carers to stay in learning",
    "give young people a say in the services they use",
    "make transitions to adult services smoother",
    "tackle child poverty"};
constexpr std::array<Words, 12> qualifiers = {
    "by March 2014", "across every locality", "in the areas of greatest need",
    "working with parents and carers", "as the needs assessment shows", "within existing resources",
    "through pooled and aligned budgets", "with the help of the Youth Parliament",
    "from April 2011", "in line with the Sustainable Community Strategy",
    "so that fewer families reach crisis", "by sharing information safely"};
constexpr std::array<Words, 10> evidence = {
    "The 2010 needs assessment found that demand for support rose by a fifth in two years.",
    "Young people told us in the consultation that they want services open in the evening.",
    "Inspection in 2009 judged arrangements adequate, with clear areas to improve.",
    "Rates in the most deprived wards are twice the county average.",
    "Parents said that information about services is hard to find.",
    "Performance has improved for three years running but remains below similar areas.",
    "Take-up is lowest among families who have recently moved to the county.",
    "Partners already share a single assessment for children with additional needs.",
    "Funding from the area-based grant ends in March 2011.",
    "The number of referrals that lead to no further action has fallen."};
constexpr std::array<Words, 24> topics = {
    "Where we are now", "What children and young people told us", "Our priorities",
    "How we will measure progress", "Early help for families", "Keeping children safe",
    "Resources and pooled budgets", "Risks to delivery", "Actions for partners",
    "Targets for 2011 to 2014", "A case study from the north locality", "Who is responsible",
    "Working with schools", "Health and well-being", "Learning and achievement",
    "Staying safe online", "Positive activities", "Economic well-being",
    "Listening to young people", "Support for parents and carers", "Workforce development",
    "Joint commissioning", "Performance management", "Links to other plans"};
constexpr std::array<Words, 14> short_titles = {  // titles stay short: plan.json must stay under 4 MiB at 50k
    "Care", "Play", "Youth", "Homes", "Food", "Sport", "Early", "Safe", "Skills", "Health", "Needs", "Voice",
    "Money", "Teams"};
constexpr std::array<Words, 8> localities = {"North", "South", "East", "West", "Central", "Testtown",
                                            "Riverside", "Market towns"};

std::string slugify(std::string_view text) {  // cypp's heading ids for ASCII text
    std::string id;
    bool pending_hyphen = false;
    for (char c : text) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) && u < 128) {
            if (pending_hyphen && !id.empty()) id += '-';
            pending_hyphen = false;
            id += static_cast<char>(std::tolower(u));
        } else {
            pending_hyphen = true;
        }
    }
    return id;
}

struct Section {
    std::string heading;                // ## text
    std::vector<std::string> children;  // ### texts
};

constexpr std::uint64_t heading_salt = 0x68656164ULL;

// A chapter's headings depend only on the seed and its number, so another chapter can link
// to them without generating it. Every heading text is unique within the chapter.
std::vector<Section> headings_of(std::uint64_t seed, std::size_t chapter) {
    Rng rng(seed ^ (chapter * 0x100000001B3ULL) ^ heading_salt);
    std::array<std::size_t, topics.size()> order{};
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
    std::vector<Section> sections(rng.chance(25) ? 3 : 2);
    std::size_t next = 0;
    for (auto& section : sections) {
        section.heading = std::string(topics[order[next++]]);
        const std::size_t subsections = rng.chance(40) ? 2 : 1;
        for (std::size_t k = 0; k < subsections; ++k) section.children.emplace_back(topics[order[next++]]);
    }
    return sections;
}

std::string file_stem(std::size_t chapter) {
    char name[32];
    std::snprintf(name, sizeof name, "c%05zu", chapter);
    return name;
}

std::string sentence(Rng& rng) {
    std::string s = std::string(rng.pick(subjects)) + " " + std::string(rng.pick(verbs)) + " ";
    const std::string action(rng.pick(actions));
    const std::size_t style = rng.below(10);
    if (style == 0) s += "*" + action + "*";
    else if (style == 1) s += "**" + action + "**";
    else s += action;
    s += " " + std::string(rng.pick(qualifiers)) + ".";
    return s;
}

std::string paragraph(Rng& rng, std::size_t sentences) {
    std::string p;
    for (std::size_t i = 0; i < sentences; ++i) {
        if (!p.empty()) p += (i == 2 ? "\n" : " ");  // a soft line break now and then
        p += rng.chance(30) ? std::string(rng.pick(evidence)) : sentence(rng);
    }
    return p + "\n\n";
}

std::string link_to_other(Rng& rng, std::uint64_t seed, std::size_t chapter, std::size_t chapters) {
    std::size_t target = 1 + rng.below(chapters);
    if (target == chapter) target = target % chapters + 1;
    const auto sections = headings_of(seed, target);
    const Section& section = sections[rng.below(sections.size())];
    const std::string& heading = rng.chance(50) || section.children.empty()
                                     ? section.heading
                                     : section.children[rng.below(section.children.size())];
    std::string text = heading;
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return "[" + text + "](" + file_stem(target) + ".md#" + slugify(heading) + ")";
}

std::string chapter_markdown(std::uint64_t seed, std::size_t chapter, std::size_t chapters) {
    Rng rng(seed ^ (chapter * 0x9E3779B97F4A7C15ULL));
    const auto sections = headings_of(seed, chapter);
    std::ostringstream out;
    const bool has_table = chapter % 2 == 0;  // exactly half the pages
    bool table_written = false;
    for (std::size_t s = 0; s < sections.size(); ++s) {
        const Section& section = sections[s];
        out << "## " << section.heading << "\n\n";
        out << paragraph(rng, rng.chance(30) ? 3 : 2);
        if (s == 0) {
            out << "This chapter builds on " << link_to_other(rng, seed, chapter, chapters) << " and on "
                << link_to_other(rng, seed, chapter, chapters) << ".\n\n";
        }
        for (std::size_t c = 0; c < section.children.size(); ++c) {
            out << "### " << section.children[c] << "\n\n";
            switch ((s + c + chapter) % 3) {
            case 0:
                out << "Partners will:\n\n";
                for (std::size_t k = 0, n = 3 + rng.below(2); k < n; ++k) {
                    std::string action(rng.pick(actions));
                    action[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(action[0])));
                    out << "- " << action << " " << rng.pick(qualifiers) << "\n";
                }
                out << "\n";
                break;
            case 1:
                out << "The steps, in order:\n\n";
                for (std::size_t k = 0, n = 3 + rng.below(2); k < n; ++k)
                    out << k + 1 << ". " << rng.pick(subjects) << " " << rng.pick(verbs) << " "
                        << rng.pick(actions) << ".\n";
                out << "\n";
                break;
            default:
                out << paragraph(rng, 2);
                out << "The target was ~~" << 40 + rng.below(20) << " per cent by 2012~~ and is now "
                    << 60 + rng.below(20) << " per cent by 2013, as agreed at the review in "
                    << "[" << section.heading << "](#" << slugify(section.heading) << ").\n\n";
                break;
            }
        }
        if (has_table && !table_written && s + 1 == sections.size() / 2 + (sections.size() % 2)) {
            out << "| Locality | 2009-10 | 2010-11 | Target 2013-14 |\n|---|--:|--:|--:|\n";
            for (std::size_t k = 0, n = 4 + rng.below(3); k < n; ++k) {
                const std::size_t base = 50 + rng.below(200);
                out << "| " << localities[(k + chapter) % localities.size()] << " | " << base << " | "
                    << base + rng.below(30) << " | " << base + 30 + rng.below(40) << " |\n";
            }
            out << "\n";
            table_written = true;
        }
    }
    out << "More is on https://www.testshire.example/cypp/" << file_stem(chapter)
        << " and questions go to plan@testshire.example. See also "
        << link_to_other(rng, seed, chapter, chapters) << ".\n";
    return out.str();
}

std::string chapter_title(std::size_t chapter) {
    return std::string(short_titles[chapter % short_titles.size()]) + " " + std::to_string(chapter);
}

void write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) {
        std::cerr << "make_bench_site: cannot write " << path << "\n";
        std::exit(2);
    }
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "make_bench_site: cannot read " << path << "\n";
        std::exit(2);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The fixture's files as they are, except plan.json: its chapters, then the generated ones,
// one a line (compact: 50,000 chapters must stay under cypp's 4 MiB cap on a JSON file).
std::string plan_json(const fs::path& fixture_plan, std::size_t chapters) {
    nlohmann::ordered_json plan = nlohmann::ordered_json::parse(read_file(fixture_plan));
    std::string text = "{\n";
    bool first = true;
    for (const auto& [key, value] : plan.items()) {
        if (key == "chapters") continue;
        text += std::string(first ? "" : ",\n") + "  " + nlohmann::ordered_json(key).dump() + ": " + value.dump();
        first = false;
    }
    text += ",\n  \"chapters\": [\n";
    for (const auto& chapter : plan["chapters"]) text += "    " + chapter.dump() + ",\n";
    for (std::size_t i = 1; i <= chapters; ++i) {
        text += "{\"file\":\"chapters/" + file_stem(i) + ".md\",\"title\":\"" + chapter_title(i) +
                "\",\"outcomes\":[\"O1\"],\"matters\":[]}";
        text += i == chapters ? "\n" : ",\n";
    }
    return text + "  ]\n}\n";
}

constexpr const char* hugo_config = R"(baseURL = "https://www.testshire.example/cypp/"
languageCode = "en-gb"
title = "Testshire Children and Young People's Plan 2011-2014"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false
[markup.goldmark.renderer]
unsafe = false
)";

constexpr const char* hugo_baseof = R"(<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ .Site.Title }}</title>
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>Testshire Children's Trust Board</footer>
</body>
</html>
)";

constexpr const char* hugo_single = R"({{ define "main" }}
<h1>{{ .Title }}</h1>
<nav aria-label="On this page">{{ .TableOfContents }}</nav>
{{ .Content }}
<nav aria-label="Chapters">
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
{{ end }}
)";

constexpr const char* hugo_list = R"({{ define "main" }}
<h1>{{ .Title }}</h1>
<ol>
{{ range .Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ol>
{{ end }}
)";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> positional;
    fs::path fixture = BENCH_FIXTURE;
    std::uint64_t seed = 20110401;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--fixture" && i + 1 < argc) fixture = argv[++i];
        else if (arg == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
        else positional.push_back(arg);
    }
    const long chapters = positional.size() == 2 ? std::atol(positional[1].c_str()) : 0;
    if (positional.size() != 2 || chapters < 2 || chapters > 99999 || fixture.empty()) {
        std::cerr << "usage: make_bench_site OUT_DIR CHAPTERS [--fixture DIR] [--seed N]\n"
                     "  CHAPTERS from 2 to 99999; DIR is tests/fixtures/minimal (built in: "
                  << BENCH_FIXTURE << ")\n";
        return 2;
    }
    const fs::path out = positional[0];
    const std::size_t n = static_cast<std::size_t>(chapters);
    const fs::path site = out / "cypp";
    const fs::path plan_dir = site / "plans" / "2011-2014";
    const fs::path hugo = out / "hugo";
    const fs::path md = out / "md";
    std::error_code ignored;
    for (const auto& dir : {site, hugo, md}) fs::remove_all(dir, ignored);

    // The cypp site: the fixture, with the generated chapters added to the plan.
    for (const char* file : {"site.json", "plans/2011-2014/child.json", "plans/2011-2014/consultation.json",
                             "plans/2011-2014/child/about.md", "plans/2011-2014/chapters/introduction.md",
                             "plans/2011-2014/chapters/needs.md"})
        write_file(site / file, read_file(fixture / file));
    const std::string plan = plan_json(fixture / "plans/2011-2014/plan.json", n);
    if (plan.size() > 4 * 1024 * 1024)
        std::cerr << "make_bench_site: warning: plan.json is " << plan.size()
                  << " bytes, over cypp's 4 MiB limit for a JSON file\n";
    write_file(plan_dir / "plan.json", plan);

    // The Hugo site: same bodies, title in front matter, weight keeps the plan's order.
    write_file(hugo / "config.toml", hugo_config);
    write_file(hugo / "layouts/_default/baseof.html", hugo_baseof);
    write_file(hugo / "layouts/_default/single.html", hugo_single);
    write_file(hugo / "layouts/_default/list.html", hugo_list);
    write_file(hugo / "content/chapters/_index.md", "---\ntitle: \"Chapters\"\n---\n");

    std::size_t bytes = 0;
    for (std::size_t i = 1; i <= n; ++i) {
        const std::string body = chapter_markdown(seed, i, n);
        bytes += body.size();
        const std::string name = file_stem(i) + ".md";
        write_file(plan_dir / "chapters" / name, body);
        write_file(md / name, body);
        write_file(hugo / "content/chapters" / name,
                   "---\ntitle: \"" + chapter_title(i) + "\"\nweight: " + std::to_string(i) + "\n---\n" + body);
    }
    std::cout << n << " chapters, " << bytes / n << " bytes of Markdown each on average, in " << out.string()
              << "\n";
    return 0;
}
