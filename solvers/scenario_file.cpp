#include "solvers/scenario_file.hpp"

#include <map>
#include <optional>
#include <string_view>
#include <system_error>

#include "model/errors.hpp"
#include "output/geography_file.hpp"
#include "output/input_file.hpp"

namespace sesim {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSpace = " \t";
constexpr std::string_view kParamsHint = " Run 'sesim params' for the list.";

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(kSpace);
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(kSpace);
    return s.substr(b, e - b + 1);
}

std::string at(const std::string& file, int line) {
    return file + ":" + std::to_string(line) + ": ";
}

// A trailing comment starts at a `#` that begins the text or follows whitespace, so values
// such as colour codes or "item#3" keep their `#`.
std::string_view strip_trailing_comment(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) return s.substr(0, i);
    return s;
}

// Reads the whole file; the text is needed both for parsing and, verbatim, for provenance.
// Regular files only, at most kMaxTextInputBytes (output/input_file.hpp).
std::string read_text(const fs::path& file) {
    return read_text_input(file, "scenario file");
}

// Longest line of a scenario or sweep file: hand-written lines are far shorter, and a longer
// one is a mistake (a binary file, a value pasted many times) that messages must not quote.
constexpr std::size_t kMaxLineBytes = 4096;

std::vector<IniEntry> parse_ini(const std::string& text, const std::string& shown) {
    std::vector<IniEntry> entries;
    std::map<std::string, int> first_line;
    std::string section;
    std::string_view rest = text;
    // Editors on Windows may prepend a byte-order mark; it is not part of the first key.
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);
    int line_no = 0;
    while (!rest.empty()) {
        ++line_no;
        const auto nl = rest.find('\n');
        std::string_view raw = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        if (raw.ends_with('\r')) raw.remove_suffix(1);
        if (raw.size() > kMaxLineBytes)
            throw InputError(at(shown, line_no) + "the line is " + std::to_string(raw.size()) +
                             " bytes long, more than the " + std::to_string(kMaxLineBytes) +
                             " a line may have: " + short_text(raw) + "; is it the right file?");
        // The text goes into the result file, whose readers (netCDF) take text as UTF-8.
        if (const auto bad = invalid_utf8_at(raw); bad != std::string_view::npos)
            throw InputError(at(shown, line_no) + "byte " + std::to_string(bad + 1) +
                             " of the line is not valid UTF-8 text; save the file as UTF-8");
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;

        if (line.front() == '[') {
            const std::string_view header = trim(strip_trailing_comment(line));
            if (header.size() < 2 || header.back() != ']' ||
                header.find_first_of("[]", 1) != header.size() - 1)
                throw InputError(at(shown, line_no) + "unbalanced '[' in section header " +
                                 short_text(line) + "; write it as [section]");
            const std::string_view name = trim(header.substr(1, header.size() - 2));
            if (name.empty())
                throw InputError(at(shown, line_no) +
                                 "empty section name '[]'; name the section, e.g. [zwolle], or "
                                 "put global keys before the first section");
            section = std::string(name) + ".";
            continue;
        }

        const auto eq = line.find('=');
        if (eq == std::string_view::npos)
            throw InputError(at(shown, line_no) + "expected 'name = value' or '[section]', found " +
                             short_text(line));
        const std::string_view key = trim(line.substr(0, eq));
        if (key.empty())
            throw InputError(at(shown, line_no) + "missing parameter name before '=' in " +
                             short_text(line));
        const std::string full_key = section + std::string(key);

        std::string_view value = trim(line.substr(eq + 1));
        if (!value.empty() && value.front() == '"') {
            const auto close = value.find('"', 1);
            if (close == std::string_view::npos)
                throw InputError(at(shown, line_no) + "unterminated quote in the value of '" +
                                 full_key + "'; add the closing '\"'");
            const std::string_view after = trim(value.substr(close + 1));
            if (!after.empty() && after.front() != '#')
                throw InputError(at(shown, line_no) + "unexpected text " + short_text(after) +
                                 " after the quoted value of '" + full_key +
                                 "'; start a trailing comment with ' #'");
            value = trim(value.substr(1, close - 1));
        } else {
            value = trim(strip_trailing_comment(value));
        }
        if (value.empty())
            throw InputError(at(shown, line_no) + "no value for '" + full_key +
                             "'; write a value after '=' or delete the line");

        const auto [it, inserted] = first_line.emplace(full_key, line_no);
        if (!inserted)
            throw InputError(at(shown, line_no) + "'" + full_key +
                             "' is given twice in this file (lines " + std::to_string(it->second) +
                             " and " + std::to_string(line_no) + "); keep one of them");
        entries.push_back({full_key, std::string(value), shown, line_no});
    }
    return entries;
}

// Two spellings of one file ("a/../b.ini", "b.ini") must count as the same file in the cycle
// check, so files are compared by their canonical path.
fs::path identity(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    if (ec) return fs::absolute(p, ec).lexically_normal();
    return c;
}

struct ChainFile {
    fs::path id;
    std::string shown;
};

bool reserved_key(const std::string& k) {
    // (the geography keys are read in the first pass, the others are the scenario's own)
    return k == "name" || k == "description" || k == "base" || k == "regions" || k == "buyers" ||
           k == "links";
}

// Parses `value` as a value of the parameter(s) `key` selects and sets it; `where` prefixes
// every message.
void apply_value(Params& params, const std::string& where, const std::string& key,
                 const std::string& value) {
    std::string error;
    const std::vector<const ParamKey*> keys = select_params(*params.geo, key, error);
    if (keys.empty()) throw InputError(where + error + std::string(kParamsHint));
    // No parameter value is this long; the parser's message would quote it whole.
    if (value.size() > 100)
        throw InputError(where + "bad value for '" + key + "': " + short_text(value) +
                         " is not a value of this parameter");
    const std::optional<double> v = parse_param_value(*keys.front()->def, value, error);
    if (!v) throw InputError(where + "bad value for '" + key + "': " + error);
    for (const ParamKey* k : keys) k->set(params, *v);
}

}  // namespace

GeographyText geography_text(const Scenario& sc) {
    return {sc.regions.text, sc.regions.file, sc.buyers.text,
            sc.buyers.file,  sc.links.text,   sc.links.file};
}

namespace {

struct LoadedFile {
    std::string shown;
    std::vector<IniEntry> entries;
};

struct Loader {
    Scenario& sc;
    std::vector<ChainFile> stack;
    std::vector<LoadedFile> chain;  // base first
    // The geography's tables as the chain names them (a later file overrides an earlier one).
    std::optional<fs::path> regions, buyers, links;

    // Reads `file` and its base chain; returns this file's own `name` and `description` (empty
    // when absent) since only the top file's are used.
    std::pair<std::string, std::string> load(const fs::path& file) {
        const std::string shown = file.string();
        const std::string text = read_text(file);
        std::vector<IniEntry> entries = parse_ini(text, shown);
        if (entries.empty())
            throw InputError(shown +
                             ": the scenario is empty; set at least one parameter or a base");
        stack.push_back({identity(file), shown});

        std::string name;
        std::string description;
        for (const IniEntry& e : entries) {
            if (e.key == "name") {
                if (!valid_scenario_name(e.value))
                    throw InputError(at(shown, e.line) + "name '" + e.value +
                                     "' may only contain letters, digits, '_' and '-' (it becomes "
                                     "the group name in the output); choose another name");
                name = e.value;
            } else if (e.key == "description") {
                description = e.value;
            } else if (e.key == "base") {
                load_base(file, e);
            }
        }

        // The base's text and file list come first, so they are appended after its recursion.
        sc.files.push_back(shown);
        sc.text += "# file: " + shown + "\n" + text;
        if (!text.empty() && text.back() != '\n') sc.text += '\n';
        for (const IniEntry& e : entries) {
            if (e.key != "regions" && e.key != "buyers" && e.key != "links") continue;
            const fs::path table = (file.parent_path() / fs::path(e.value)).lexically_normal();
            std::error_code ec;
            if (!fs::is_regular_file(table, ec))
                throw InputError(
                    at(shown, e.line) + e.key + " table '" + e.value + "'" +
                    (table.string() == e.value ? "" : " (looked for " + table.string() + ")") +
                    ": no such file; the path is relative to the folder of " + shown);
            (e.key == "regions" ? regions : e.key == "buyers" ? buyers : links) = table;
        }
        chain.push_back({shown, std::move(entries)});
        stack.pop_back();
        return {name, description};
    }

    void load_base(const fs::path& file, const IniEntry& e) {
        const fs::path base = (file.parent_path() / fs::path(e.value)).lexically_normal();
        const std::string looked =
            base.string() == e.value ? "" : " (looked for " + base.string() + ")";
        std::error_code ec;
        if (!fs::exists(base, ec))
            throw InputError(at(e.file, e.line) + "base '" + e.value + "'" + looked +
                             ": no such file; check the path, which is relative to the folder of " +
                             e.file);
        if (fs::is_directory(base, ec))
            throw InputError(at(e.file, e.line) + "base '" + e.value + "'" + looked +
                             " is a directory; give the path of a scenario file");
        const fs::path id = identity(base);
        for (std::size_t i = 0; i < stack.size(); ++i) {
            if (stack[i].id != id) continue;
            std::string cycle;
            for (std::size_t j = i; j < stack.size(); ++j) cycle += stack[j].shown + " -> ";
            cycle += base.string();
            throw InputError(at(e.file, e.line) + "circular base: " + cycle +
                             "; remove one of these base lines");
        }
        load(base);
    }

    // After load(): the geography, then every parameter in the order of the chain.
    void apply() {
        GeographyPtr geo = default_geography();
        if (regions) {
            const auto keep = [](const std::optional<fs::path>& p, Scenario::Table& t,
                                 const char* what) {
                if (!p) return;
                t.file = p->string();
                t.text = read_text_input(*p, what);
            };
            keep(regions, sc.regions, "regions table");
            keep(buyers, sc.buyers, "buyers table");
            keep(links, sc.links, "links table");
            geo = parse_geography(geography_text(sc));
        } else if (buyers || links) {
            throw InputError(sc.path +
                             ": the scenario names a buyers or links table but no regions "
                             "table; add 'regions = FILE' (docs/geography.md)");
        }
        sc.params = Params(geo);
        for (const LoadedFile& f : chain)
            for (const IniEntry& e : f.entries)
                if (!reserved_key(e.key))
                    apply_value(sc.params, at(f.shown, e.line), e.key, e.value);
    }
};

}  // namespace

bool valid_scenario_name(std::string_view name) {
    if (name.empty()) return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::vector<IniEntry> read_ini(const fs::path& file) {
    return parse_ini(read_text(file), file.string());
}

std::vector<std::pair<std::string, std::string>> apply_sets(Params& params,
                                                            const std::vector<std::string>& sets,
                                                            const std::string& origin) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& s : sets) {
        const auto eq = s.find('=');
        const std::string key(trim(std::string_view(s).substr(0, eq)));
        const std::string value(eq == std::string::npos ? std::string_view{}
                                                        : trim(std::string_view(s).substr(eq + 1)));
        if (eq == std::string::npos || key.empty() || value.empty())
            throw InputError(origin + " " + short_text(s) + ": expected name=value, e.g. " +
                             origin + " zwolle.population=126000");
        if (reserved_key(key))
            throw InputError(origin + " " + s + ": '" + key +
                             "' can only be set in the scenario file, not with " + origin);
        apply_value(params, origin + " " + s + ": ", key, value);
        out.emplace_back(key, value);
    }
    return out;
}

Scenario load_scenario(const fs::path& file, const std::vector<std::string>& sets) {
    Scenario sc;
    sc.path = file.string();
    Loader loader{sc, {}, {}, {}, {}, {}};
    auto [name, description] = loader.load(file);
    loader.apply();
    if (name.empty()) {
        name = file.stem().string();
        if (!valid_scenario_name(name))
            throw InputError(sc.path + ": the file name '" + name +
                             "' is not a valid scenario name (letters, digits, '_' and '-' only); "
                             "set 'name = ...' in the file or rename it");
    }
    sc.name = std::move(name);
    sc.description = std::move(description);
    sc.overrides = apply_sets(sc.params, sets);

    const std::vector<std::string> problems = check_consistency(sc.params);
    if (!problems.empty()) {
        std::string msg = sc.path + ": inconsistent parameters";
        if (!sets.empty()) msg += " (after the --set overrides)";
        msg += ": ";
        for (std::size_t i = 0; i < problems.size(); ++i) msg += (i == 0 ? "" : "; ") + problems[i];
        throw InputError(msg);
    }
    return sc;
}

}  // namespace sesim
