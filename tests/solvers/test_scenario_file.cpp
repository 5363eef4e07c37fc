// Scenario files: syntax, the base chain, reserved keys, --set overrides, and every error
// message (which must name file, line and key and say what to do).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "model/errors.hpp"
#include "solvers/scenario_file.hpp"
#include "tests/support/default_geography.hpp"

using namespace sesim;
namespace fs = std::filesystem;
using Catch::Contains;

namespace {

// A fresh directory per test case, removed afterwards, so tests can run in parallel.
class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        const std::string stem =
            "sesim_test_scenario_" + std::to_string(rd()) + std::to_string(rd());
        dir_ = fs::temp_directory_path() / stem;
        fs::create_directories(dir_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    fs::path write(const std::string& name, const std::string& text) const {
        const fs::path p = dir_ / name;
        fs::create_directories(p.parent_path());
        std::ofstream out(p, std::ios::binary);
        out << text;
        return p;
    }
    const fs::path& path() const { return dir_; }

  private:
    fs::path dir_;
};

template <class F>
std::string input_error(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    FAIL("expected an InputError");
    return {};
}

std::string load_error(const fs::path& p, const std::vector<std::string>& sets = {}) {
    return input_error([&] { load_scenario(p, sets); });
}

std::string at(const fs::path& p, int line) {
    return p.string() + ":" + std::to_string(line) + ": ";
}

}  // namespace

// ---- Syntax -----------------------------------------------------------------------------------

TEST_CASE("scenario file: read_ini prefixes keys with their section", "[scenario]") {
    TempDir t;
    const fs::path p = t.write("s.ini",
                               "months = 12\n"
                               "[zwolle]\n"
                               "population = 126000\n"
                               "[zwolle.municipality]\n"
                               "setaside_share = 0.05\n"
                               "[ haarlem ]\n"
                               "smes = 21000\n");
    const auto e = read_ini(p);
    REQUIRE(e.size() == 4);
    CHECK(e[0].key == "months");
    CHECK(e[0].value == "12");
    CHECK(e[0].line == 1);
    CHECK(e[0].file == p.string());
    CHECK(e[1].key == "zwolle.population");
    CHECK(e[1].line == 3);
    CHECK(e[2].key == "zwolle.municipality.setaside_share");
    CHECK(e[2].value == "0.05");
    CHECK(e[3].key == "haarlem.smes");
    CHECK(e[3].line == 7);
}

TEST_CASE("scenario file: read_ini skips comments and blank lines and strips trailing comments",
          "[scenario]") {
    TempDir t;
    const fs::path p = t.write("s.ini",
                               "# a comment\n"
                               "; another comment\n"
                               "\n"
                               "   \t\n"
                               "  # indented comment\n"
                               "months = 12   # twenty would be more\n"
                               "description = item#3 stays\n"
                               "[zwolle]   # the region\n"
                               "\tpopulation\t=\t126000\t\n");
    const auto e = read_ini(p);
    REQUIRE(e.size() == 3);
    CHECK(e[0].key == "months");
    CHECK(e[0].value == "12");
    CHECK(e[0].line == 6);
    CHECK(e[1].value == "item#3 stays");
    CHECK(e[2].key == "zwolle.population");
    CHECK(e[2].value == "126000");
    CHECK(e[2].line == 9);
}

TEST_CASE("scenario file: read_ini removes double quotes around values", "[scenario]") {
    TempDir t;
    const fs::path p = t.write("s.ini",
                               "description = \"Set-aside # and RIC; both regions\"  # comment\n"
                               "name = \"quoted\"\n"
                               "months = 12=twelve\n");
    const auto e = read_ini(p);
    REQUIRE(e.size() == 3);
    CHECK(e[0].value == "Set-aside # and RIC; both regions");
    CHECK(e[1].value == "quoted");
    CHECK(e[2].value == "12=twelve");
}

TEST_CASE("scenario file: read_ini tolerates Windows line endings and a byte-order mark",
          "[scenario]") {
    TempDir t;
    const fs::path p =
        t.write("s.ini", "\xEF\xBB\xBFmonths = 12\r\n\r\n[zwolle]\r\npopulation = 126000\r\n");
    const auto e = read_ini(p);
    REQUIRE(e.size() == 2);
    CHECK(e[0].key == "months");
    CHECK(e[0].value == "12");
    CHECK(e[1].key == "zwolle.population");
    CHECK(e[1].value == "126000");
    CHECK(e[1].line == 4);
}

// ---- Loading ----------------------------------------------------------------------------------

TEST_CASE("scenario file: load_scenario sets parameters and leaves the rest at their defaults",
          "[scenario]") {
    TempDir t;
    const std::string text =
        "description = Zwolle with a set-aside\n"
        "months = 60\n"
        "start_month = 2020-03\n"
        "exchange_weight = 0.25\n"
        "[zwolle]\n"
        "population = 126000\n"
        "[zwolle.municipality]\n"
        "setaside_share = 0.05\n"
        "setaside_end = 2024-12\n";
    const fs::path p = t.write("zwolle_setaside.ini", text);
    const Scenario s = load_scenario(p);

    CHECK(s.name == "zwolle_setaside");
    CHECK(s.description == "Zwolle with a set-aside");
    CHECK(s.path == p.string());
    CHECK(s.files == std::vector<std::string>{p.string()});
    CHECK(s.text == "# file: " + p.string() + "\n" + text);
    CHECK(s.overrides.empty());

    const Params d{};
    CHECK(s.params.g.months == 60);
    CHECK(s.params.g.start_month == month_index(2020, 3));
    CHECK(s.params.g.exchange_weight == 0.25);
    CHECK(s.params.region[0].population == 126000);
    CHECK(s.params.buyer[buyer_of(s.params, 0, 0)].setaside_share == 0.05);
    CHECK(s.params.buyer[buyer_of(s.params, 0, 0)].setaside_end == month_index(2024, 12));

    CHECK(s.params.region[1].population == d.region[1].population);
    CHECK(s.params.buyer[buyer_of(s.params, 1, 0)].setaside_share ==
          d.buyer[buyer_of(d, 1, 0)].setaside_share);
    CHECK(s.params.buyer[buyer_of(s.params, 0, 1)].setaside_end ==
          d.buyer[buyer_of(d, 0, 1)].setaside_end);
    CHECK(s.params.g.productivity == d.g.productivity);
    int unchanged = 0;
    for (const ParamKey& k : param_keys()) unchanged += k.get(s.params) == k.get(d);
    CHECK(unchanged == static_cast<int>(param_keys().size()) - 6);
}

TEST_CASE("scenario file: every parameter can be written to a file and read back", "[scenario]") {
    TempDir t;
    const Params d{};
    std::string text;
    for (const ParamKey& k : param_keys())
        text += k.name + " = " + format_param_value(*k.def, k.get(d)) + "\n";
    const Scenario s = load_scenario(t.write("all.ini", text));
    for (const ParamKey& k : param_keys()) {
        INFO(k.name);
        CHECK(k.get(s.params) == k.get(d));
    }
}

TEST_CASE("scenario file: flag parameters accept true/false spellings in a file", "[scenario]") {
    const ParamKey* flag = nullptr;
    for (const ParamKey& k : param_keys())
        if (k.def->type == ParamType::flag) flag = &k;
    if (flag == nullptr) {
        // The table has no flag yet; the spellings are covered by test_params.
        SUCCEED("no flag parameter in the table");
        return;
    }
    TempDir t;
    for (const auto& [text, value] : {std::pair{"true", 1.0}, std::pair{"off", 0.0},
                                      std::pair{"yes", 1.0}, std::pair{"false", 0.0}}) {
        const Scenario s = load_scenario(t.write("f.ini", flag->name + " = " + text + "\n"));
        CHECK(flag->get(s.params) == value);
    }
    CHECK_THAT(load_error(t.write("g.ini", flag->name + " = maybe\n")),
               Contains("not true or false"));
}

TEST_CASE("scenario file: name and description come from the file, the name defaults to the stem",
          "[scenario]") {
    TempDir t;
    const Scenario named =
        load_scenario(t.write("a.ini", "name = Zwolle-RIC_2\ndescription = \"RIC, 2 regions\"\n"));
    CHECK(named.name == "Zwolle-RIC_2");
    CHECK(named.description == "RIC, 2 regions");

    const Scenario stem = load_scenario(t.write("baseline.ini", "months = 12\n"));
    CHECK(stem.name == "baseline");
    CHECK(stem.description.empty());

    CHECK(valid_scenario_name("a-b_C9"));
    CHECK_FALSE(valid_scenario_name(""));
    CHECK_FALSE(valid_scenario_name("a b"));
    CHECK_FALSE(valid_scenario_name("a.b"));
    CHECK_FALSE(valid_scenario_name("a/b"));
}

TEST_CASE("scenario file: a base chain loads the base first and the file's keys override it",
          "[scenario]") {
    TempDir t;
    const fs::path common = t.write("common/root.ini",
                                    "name = root\n"
                                    "description = the root\n"
                                    "months = 120\n"
                                    "interest_rate = 0.05\n"
                                    "[zwolle]\n"
                                    "population = 126000\n");
    const fs::path base = t.write("common/base.ini",
                                  "base = root.ini\n"
                                  "description = the base\n"
                                  "months = 100\n"
                                  "[haarlem]\n"
                                  "population = 160000\n");
    const fs::path derived = t.write("scenarios/derived.ini",
                                     "months = 60  # shorter\n"
                                     "base = ../common/base.ini\n"
                                     "[zwolle]\n"
                                     "smes = 11300\n");
    const Scenario s = load_scenario(derived);

    CHECK(s.params.g.months == 60);
    CHECK(s.params.g.interest_rate == 0.05);
    CHECK(s.params.region[0].population == 126000);
    CHECK(s.params.region[1].population == 160000);
    CHECK(s.params.region[0].smes == 11300);
    CHECK(s.params.region[1].smes == Params{}.region[1].smes);

    CHECK(s.name == "derived");
    CHECK(s.description.empty());
    REQUIRE(s.files.size() == 3);
    CHECK(fs::equivalent(s.files[0], common));
    CHECK(fs::equivalent(s.files[1], base));
    CHECK(s.files[2] == derived.string());
    CHECK(s.path == derived.string());

    const auto first = s.text.find("# file: " + s.files[0] + "\n");
    const auto second = s.text.find("# file: " + s.files[1] + "\n");
    const auto third = s.text.find("# file: " + s.files[2] + "\n");
    CHECK(first == 0);
    CHECK(second != std::string::npos);
    CHECK(third != std::string::npos);
    CHECK(first < second);
    CHECK(second < third);
    CHECK_THAT(s.text, Contains("name = root\n") && Contains("population = 160000\n") &&
                           Contains("months = 60  # shorter\n"));

    const Scenario from_base = load_scenario(base);
    CHECK(from_base.name == "base");
    CHECK(from_base.description == "the base");
    CHECK(from_base.params.g.months == 100);
}

TEST_CASE("scenario file: a file of only a base is a valid scenario with its own name",
          "[scenario]") {
    TempDir t;
    t.write("base.ini", "name = base\nmonths = 24\n");
    const Scenario s = load_scenario(t.write("copy.ini", "base = base.ini\n"));
    CHECK(s.name == "copy");
    CHECK(s.params.g.months == 24);
    CHECK(s.files.size() == 2);
}

TEST_CASE("scenario file: --set overrides apply after the file and are recorded", "[scenario]") {
    TempDir t;
    const fs::path p = t.write("s.ini", "months = 60\n[zwolle]\npopulation = 126000\n");
    const Scenario s =
        load_scenario(p, {"months=24", "zwolle.population = 130000", "start_month=2021-07"});
    CHECK(s.params.g.months == 24);
    CHECK(s.params.region[0].population == 130000);
    CHECK(s.params.g.start_month == month_index(2021, 7));
    using Pair = std::pair<std::string, std::string>;
    CHECK(s.overrides == std::vector<Pair>{{"months", "24"},
                                           {"zwolle.population", "130000"},
                                           {"start_month", "2021-07"}});
}

TEST_CASE("scenario file: apply_sets validates names and values", "[scenario]") {
    Params p;
    const auto parsed = apply_sets(p, {"haarlem.school.budget=2.5e6", "months=1"});
    CHECK(p.buyer[buyer_of(p, 1, 3)].budget == 2.5e6);
    CHECK(p.g.months == 1);
    CHECK(parsed.size() == 2);
    CHECK(apply_sets(p, {}).empty());

    CHECK_THAT(input_error([&] { apply_sets(p, {"x"}); }),
               Contains("--set 'x': expected name=value"));
    CHECK_THAT(input_error([&] { apply_sets(p, {"=3"}); }), Contains("expected name=value"));
    CHECK_THAT(input_error([&] { apply_sets(p, {"months="}); }), Contains("expected name=value"));
    CHECK_THAT(input_error([&] { apply_sets(p, {"zwole.population=3"}); }),
               Contains("--set zwole.population=3: unknown parameter 'zwole.population'") &&
                   Contains("did you mean 'zwolle.population'?") &&
                   Contains("Run 'sesim params' for the list."));
    CHECK_THAT(input_error([&] { apply_sets(p, {"name=x"}); }),
               Contains("--set name=x: 'name' can only be set in the scenario file"));
    CHECK_THAT(input_error([&] { apply_sets(p, {"months=0"}); }), Contains("--set months=0: ") &&
                                                                      Contains("'months'") &&
                                                                      Contains("1 to 1200 months"));
    CHECK_THAT(input_error([&] { apply_sets(p, {"start_month=2019-1"}); }),
               Contains("not a month"));
    CHECK_THAT(input_error([&] { apply_sets(p, {"months=abc"}, "--sweep"); }),
               Contains("--sweep months=abc: ") && Contains("integer"));
}

// ---- Errors -----------------------------------------------------------------------------------

TEST_CASE("scenario file: a missing or unreadable scenario file is reported",
          "[scenario][errors]") {
    TempDir t;
    const fs::path missing = t.path() / "nope.ini";
    CHECK_THAT(load_error(missing), Contains(missing.string()) && Contains("no such file") &&
                                        Contains("check the path"));
    CHECK_THAT(input_error([&] { read_ini(missing); }), Contains("no such file"));
    CHECK_THAT(load_error(t.path()), Contains(t.path().string()) && Contains("directory"));
}

TEST_CASE("scenario file: malformed lines are reported with file and line", "[scenario][errors]") {
    TempDir t;
    const fs::path no_eq = t.write("a.ini", "months = 12\n\nzwolle.population 126000\n");
    CHECK_THAT(load_error(no_eq), Contains(at(no_eq, 3)) && Contains("expected 'name = value'") &&
                                      Contains("zwolle.population 126000"));

    const fs::path open = t.write("b.ini", "months = 12\n[zwolle\npopulation = 1\n");
    CHECK_THAT(load_error(open),
               Contains(at(open, 2)) && Contains("unbalanced '['") && Contains("[zwolle"));
    const fs::path doubled = t.write("c.ini", "[zwolle]]\npopulation = 1000\n");
    CHECK_THAT(load_error(doubled), Contains(at(doubled, 1)) && Contains("unbalanced '['"));
    const fs::path nested = t.write("d.ini", "[zw[olle]\npopulation = 1000\n");
    CHECK_THAT(load_error(nested), Contains(at(nested, 1)) && Contains("unbalanced '['"));

    const fs::path empty_section = t.write("e.ini", "months = 12\n[]\npopulation = 1\n");
    CHECK_THAT(load_error(empty_section),
               Contains(at(empty_section, 2)) && Contains("empty section name"));
    const fs::path blank_section = t.write("f.ini", "[  ]\n");
    CHECK_THAT(load_error(blank_section),
               Contains(at(blank_section, 1)) && Contains("empty section"));

    const fs::path quote = t.write("g.ini", "description = \"open\n");
    CHECK_THAT(load_error(quote), Contains(at(quote, 1)) && Contains("unterminated quote") &&
                                      Contains("'description'"));
    const fs::path after_quote = t.write("h.ini", "description = \"a\" b\n");
    CHECK_THAT(load_error(after_quote),
               Contains(at(after_quote, 1)) && Contains("unexpected text 'b'"));
}

TEST_CASE("scenario file: an empty key or value is reported", "[scenario][errors]") {
    TempDir t;
    const fs::path no_key = t.write("a.ini", "months = 12\n = 126000\n");
    CHECK_THAT(load_error(no_key), Contains(at(no_key, 2)) && Contains("missing parameter name"));

    const fs::path no_value = t.write("b.ini", "[zwolle]\npopulation =\n");
    CHECK_THAT(load_error(no_value), Contains(at(no_value, 2)) &&
                                         Contains("no value for 'zwolle.population'") &&
                                         Contains("write a value"));
    const fs::path only_comment = t.write("c.ini", "months = # later\n");
    CHECK_THAT(load_error(only_comment),
               Contains(at(only_comment, 1)) && Contains("no value for 'months'"));
    const fs::path empty_quotes = t.write("d.ini", "description = \"\"\n");
    CHECK_THAT(load_error(empty_quotes),
               Contains(at(empty_quotes, 1)) && Contains("no value for 'description'"));
}

TEST_CASE("scenario file: a key given twice in one file names both lines", "[scenario][errors]") {
    TempDir t;
    const fs::path p = t.write("a.ini",
                               "[zwolle]\n"
                               "population = 126000\n"
                               "smes = 11300\n"
                               "population = 127000\n");
    CHECK_THAT(load_error(p), Contains(at(p, 4)) && Contains("'zwolle.population'") &&
                                  Contains("given twice") && Contains("lines 2 and 4"));
    const fs::path name = t.write("b.ini", "name = a\nname = b\n");
    CHECK_THAT(load_error(name), Contains(at(name, 2)) && Contains("lines 1 and 2"));
}

TEST_CASE("scenario file: an unknown key names the closest known key", "[scenario][errors]") {
    TempDir t;
    const fs::path p = t.write("baseline.ini",
                               "months = 12\n"
                               "[zwole]\n"
                               "population = 3\n");
    CHECK_THAT(load_error(p), Contains(at(p, 3) + "unknown parameter 'zwole.population'; did you "
                                                  "mean 'zwolle.population'? Run 'sesim params' "
                                                  "for the list."));
    const fs::path g = t.write("b.ini", "month = 12\n");
    CHECK_THAT(load_error(g), Contains(at(g, 1) + "unknown parameter 'month'") &&
                                  Contains("did you mean 'months'?"));
    // Reserved keys count only at top level.
    const fs::path reserved = t.write("c.ini", "[zwolle]\nname = x\n");
    CHECK_THAT(load_error(reserved),
               Contains(at(reserved, 2)) && Contains("unknown parameter 'zwolle.name'"));
}

TEST_CASE("scenario file: values of the wrong type or out of range name the range and unit",
          "[scenario][errors]") {
    TempDir t;
    const fs::path type = t.write("a.ini", "months = twelve\n");
    CHECK_THAT(load_error(type), Contains(at(type, 1)) && Contains("'months'") &&
                                     Contains("'twelve'") && Contains("integer") &&
                                     Contains("1 to 1200 months"));
    const fs::path range = t.write("b.ini", "months = 12\n[zwolle]\npopulation = 5\n");
    CHECK_THAT(load_error(range), Contains(at(range, 3)) && Contains("'zwolle.population'") &&
                                      Contains("out of range") &&
                                      Contains("100 to 20000000 persons"));
    const fs::path whole = t.write("c.ini", "[haarlem]\nsmes = 10.5\n");
    CHECK_THAT(load_error(whole), Contains(at(whole, 2)) && Contains("whole number"));
    const fs::path month = t.write("d.ini", "[haarlem.school]\nric_start = 2019-13\n");
    CHECK_THAT(load_error(month), Contains(at(month, 2)) &&
                                      Contains("'haarlem.school.ric_start'") &&
                                      Contains("not a month") && Contains("1990-01 to 2100-12"));
    const fs::path share = t.write("e.ini", "se_share_facility = 1.2\n");
    CHECK_THAT(load_error(share), Contains(at(share, 1)) && Contains("0 to 1 share"));
}

TEST_CASE("scenario file: invalid scenario names are rejected", "[scenario][errors]") {
    TempDir t;
    const fs::path bad = t.write("a.ini", "months = 12\nname = my scenario\n");
    CHECK_THAT(load_error(bad),
               Contains(at(bad, 2)) && Contains("'my scenario'") && Contains("letters, digits"));
    const fs::path stem = t.write("v1.2.ini", "months = 12\n");
    CHECK_THAT(load_error(stem),
               Contains(stem.string()) && Contains("'v1.2'") && Contains("set 'name = ...'"));
    CHECK(load_scenario(t.write("v1.3.ini", "name = v1_3\n")).name == "v1_3");
}

TEST_CASE("scenario file: an empty scenario is reported", "[scenario][errors]") {
    TempDir t;
    const fs::path empty = t.write("empty.ini", "");
    CHECK_THAT(load_error(empty),
               Contains(empty.string() + ": the scenario is empty; set at least one parameter or "
                                         "a base"));
    const fs::path comments = t.write("comments.ini", "# nothing yet\n\n; still nothing\n");
    CHECK_THAT(load_error(comments), Contains(comments.string() + ": the scenario is empty"));
    const fs::path sections = t.write("sections.ini", "[zwolle]\n[haarlem]\n");
    CHECK_THAT(load_error(sections), Contains("the scenario is empty"));
    CHECK(read_ini(comments).empty());
}

TEST_CASE("scenario file: a missing base names the including file, line and path",
          "[scenario][errors]") {
    TempDir t;
    const fs::path p = t.write("sub/derived.ini", "months = 12\nbase = ../nope/base.ini\n");
    CHECK_THAT(load_error(p), Contains(at(p, 2)) && Contains("'../nope/base.ini'") &&
                                  Contains("no such file") &&
                                  Contains((t.path() / "nope/base.ini").string()) &&
                                  Contains("relative to the folder of " + p.string()));
    const fs::path dir = t.write("dir.ini", "months = 12\nbase = sub\n");
    CHECK_THAT(load_error(dir),
               Contains(at(dir, 2)) && Contains("'sub'") && Contains("is a directory"));
}

TEST_CASE("scenario file: a circular base lists the cycle", "[scenario][errors]") {
    TempDir t;
    const fs::path a = t.write("a.ini", "base = b.ini\nmonths = 12\n");
    const fs::path b = t.write("b.ini", "months = 24\nbase = ./c.ini\n");
    const fs::path c = t.write("c.ini", "base = a.ini\n");
    CHECK_THAT(load_error(a),
               Contains(at(c, 1)) && Contains("circular base: " + a.string() + " -> " + b.string() +
                                              " -> " + c.string() + " -> " + a.string()));

    const fs::path self = t.write("self.ini", "months = 12\nbase = self.ini\n");
    CHECK_THAT(load_error(self),
               Contains(at(self, 2)) &&
                   Contains("circular base: " + self.string() + " -> " + self.string()));
}

TEST_CASE("scenario file: errors inside a base file name the base file", "[scenario][errors]") {
    TempDir t;
    const fs::path base = t.write("base.ini", "months = 12\n\n[zwolle]\npopulaton = 1\n");
    const fs::path top = t.write("top.ini", "base = base.ini\n");
    CHECK_THAT(load_error(top), Contains(at(base, 4)) && Contains("'zwolle.populaton'") &&
                                    Contains("'zwolle.population'"));
    t.write("empty_base.ini", "# to do\n");
    const fs::path top2 = t.write("top2.ini", "base = empty_base.ini\nmonths = 3\n");
    CHECK_THAT(load_error(top2), Contains("empty_base.ini: the scenario is empty"));
}

TEST_CASE("scenario file: inconsistent parameters name the scenario file", "[scenario][errors]") {
    TempDir t;
    const fs::path p = t.write("shares.ini",
                               "se_share_facility = 0.6\n"
                               "se_share_circular = 0.3\n"
                               "se_share_services = 0.3\n");
    CHECK_THAT(load_error(p), Contains(p.string() + ": inconsistent parameters") &&
                                  Contains("se_share_facility") && Contains("more than 1"));

    const fs::path ok = t.write("ok.ini", "tender_min_months = 24\n");
    CHECK_NOTHROW(load_scenario(ok));
    CHECK_THAT(load_error(ok, {"tender_max_months=12"}),
               Contains(ok.string() + ": inconsistent parameters (after the --set overrides)") &&
                   Contains("tender_min_months (24) exceeds tender_max_months (12)"));
}

TEST_CASE("scenario file: bad --set overrides in load_scenario are reported",
          "[scenario][errors]") {
    TempDir t;
    const fs::path p = t.write("s.ini", "months = 12\n");
    CHECK_THAT(load_error(p, {"zwole.population=3"}),
               Contains("--set zwole.population=3: unknown parameter 'zwole.population'; did you "
                        "mean 'zwolle.population'?"));
    CHECK_THAT(load_error(p, {"months"}), Contains("--set 'months': expected name=value"));
}
