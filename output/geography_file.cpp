#include "output/geography_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "model/errors.hpp"
#include "model/params.hpp"
#include "output/input_file.hpp"
#include "output/sha256.hpp"

namespace sesim {

namespace {

struct Cell {
    std::string text;
    int column = 0;  // 1-based
};
struct Row {
    std::vector<Cell> cells;
    int line = 0;  // 1-based, of the row's start
};

std::string at(const std::string& shown, int line, int column = 0) {
    std::string s = shown + ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
    return s + ": ";
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

// RFC 4180 records: fields separated by ',', optionally in double quotes (a quote inside written
// twice; a quoted field may span lines). '#' at the start of a line outside quotes: a comment.
std::vector<Row> parse_csv(std::string_view text, const std::string& shown) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (const auto bad = invalid_utf8_at(text); bad != std::string_view::npos) {
        const int line = 1 + static_cast<int>(std::count(
                                 text.begin(), text.begin() + static_cast<long>(bad), '\n'));
        throw InputError(at(shown, line) + "the table is not valid UTF-8 text; save it as UTF-8");
    }
    std::vector<Row> rows;
    std::size_t i = 0;
    int line = 1;
    const std::size_t n = text.size();
    while (i < n) {
        // Start of a line.
        if (text[i] == '#') {
            while (i < n && text[i] != '\n') ++i;
            ++i;
            ++line;
            continue;
        }
        std::size_t eol = i;
        while (eol < n && (text[eol] == ' ' || text[eol] == '\t' || text[eol] == '\r')) ++eol;
        if (eol >= n || text[eol] == '\n') {  // a blank line
            i = eol + 1;
            ++line;
            continue;
        }
        Row row;
        row.line = line;
        std::size_t line_start = i;
        while (true) {
            Cell cell;
            cell.column = static_cast<int>(i - line_start) + 1;
            std::string value;
            std::size_t j = i;
            while (j < n && (text[j] == ' ' || text[j] == '\t')) ++j;
            if (j < n && text[j] == '"') {
                ++j;
                while (true) {
                    if (j >= n)
                        throw InputError(at(shown, row.line, cell.column) +
                                         "a quoted field is not closed; add the closing '\"'");
                    if (text[j] == '"') {
                        if (j + 1 < n && text[j + 1] == '"') {
                            value += '"';
                            j += 2;
                            continue;
                        }
                        ++j;
                        break;
                    }
                    if (text[j] == '\n') {
                        ++line;
                        line_start = j + 1;
                    }
                    value += text[j++];
                }
                while (j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r')) ++j;
                if (j < n && text[j] != ',' && text[j] != '\n')
                    throw InputError(at(shown, line, static_cast<int>(j - line_start) + 1) +
                                     "text after a quoted field; put the whole field in quotes");
                cell.text = value;
            } else {
                std::size_t e = j;
                while (e < n && text[e] != ',' && text[e] != '\n') {
                    if (text[e] == '"')
                        throw InputError(at(shown, line, static_cast<int>(e - line_start) + 1) +
                                         "a '\"' inside an unquoted field; quote the field and "
                                         "write the quote twice");
                    ++e;
                }
                std::string_view raw = text.substr(j, e - j);
                if (raw.ends_with('\r')) raw.remove_suffix(1);
                cell.text = trim(raw);
                j = e;
            }
            if (cell.text.size() > 4096)
                throw InputError(at(shown, line, cell.column) + "a field of " +
                                 std::to_string(cell.text.size()) +
                                 " bytes; is this the right file?");
            row.cells.push_back(std::move(cell));
            if (j < n && text[j] == ',') {
                i = j + 1;
                continue;
            }
            i = j + 1;  // past '\n' or the end
            ++line;
            break;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

struct Table {
    std::string shown;
    std::vector<std::string> header;
    std::vector<int> header_column;
    std::vector<Row> rows;

    int column(std::string_view name) const {
        for (std::size_t c = 0; c < header.size(); ++c)
            if (header[c] == name) return static_cast<int>(c);
        return -1;
    }
};

Table read_table(const std::string& text, const std::string& shown, const char* what,
                 std::initializer_list<std::string_view> required) {
    Table t;
    t.shown = shown;
    std::vector<Row> rows = parse_csv(text, shown);
    if (rows.empty())
        throw InputError(shown + ": the " + what +
                         " table is empty; it needs a header row and at least one row");
    for (const Cell& c : rows.front().cells) {
        if (c.text.empty())
            throw InputError(at(shown, rows.front().line, c.column) +
                             "an empty column name in the header");
        if (std::find(t.header.begin(), t.header.end(), c.text) != t.header.end())
            throw InputError(at(shown, rows.front().line, c.column) + "column '" + c.text +
                             "' is given twice");
        t.header.push_back(c.text);
        t.header_column.push_back(c.column);
    }
    for (const std::string_view r : required)
        if (t.column(r) < 0)
            throw InputError(at(shown, rows.front().line) + "the " + what +
                             " table has no column '" + std::string(r) + "'; its header needs " +
                             [&] {
                                 std::string s;
                                 for (const std::string_view q : required)
                                     s += (s.empty() ? "" : ", ") + std::string(q);
                                 return s;
                             }());
    t.rows.assign(std::make_move_iterator(rows.begin() + 1), std::make_move_iterator(rows.end()));
    if (t.rows.empty())
        throw InputError(shown + ": the " + what + " table has a header but no rows");
    for (const Row& r : t.rows)
        if (r.cells.size() != t.header.size())
            throw InputError(at(shown, r.line) + "the row has " + std::to_string(r.cells.size()) +
                             " fields, the header " + std::to_string(t.header.size()) +
                             "; every row needs one field per column (an empty field is written "
                             "as nothing between two commas)");
    return t;
}

// The parameter columns of a table: every column that is not one of `fixed`, which must be a
// parameter of `scope`.
std::vector<std::pair<int, const ParamDef*>> parameter_columns(
    const Table& t, Scope scope, std::initializer_list<std::string_view> fixed,
    const char* scope_name) {
    std::vector<std::pair<int, const ParamDef*>> out;
    for (std::size_t c = 0; c < t.header.size(); ++c) {
        const std::string& h = t.header[c];
        if (std::find(fixed.begin(), fixed.end(), h) != fixed.end()) continue;
        const ParamDef* def = find_param_def(h);
        if (def == nullptr || def->scope != scope) {
            std::string best;
            std::size_t best_d = 0;
            for (const ParamDef& d : param_defs()) {
                if (d.scope != scope) continue;
                const std::size_t dist = edit_distance(h, d.name);
                if (best.empty() || dist < best_d) {
                    best = std::string(d.name);
                    best_d = dist;
                }
            }
            throw InputError(at(t.shown, 1, t.header_column[c]) + "column '" + h + "' is not a " +
                             scope_name + " parameter" +
                             (def != nullptr ? " (it is a parameter of another scope)" : "") +
                             "; did you mean '" + best + "'? Run 'sesim params' for the list.");
        }
        out.emplace_back(static_cast<int>(c), def);
    }
    return out;
}

double cell_value(const Table& t, const Row& row, int c, const ParamDef& def) {
    const Cell& cell = row.cells[static_cast<std::size_t>(c)];
    std::string error;
    const std::optional<double> v = parse_param_value(def, cell.text, error);
    if (!v)
        throw InputError(at(t.shown, row.line, cell.column) + "bad value for " +
                         std::string(def.name) + ": " + error);
    return *v;
}

const std::string& field(const Row& row, int c) {
    return row.cells[static_cast<std::size_t>(c)].text;
}
int column_of(const Row& row, int c) {
    return row.cells[static_cast<std::size_t>(c)].column;
}

}  // namespace

GeographyPtr parse_geography(const GeographyText& in) {
    std::vector<std::pair<std::string, double>> values;
    // Regions.
    const Table rt = read_table(in.regions, in.regions_shown, "regions", {"code", "key"});
    const int c_code = rt.column("code"), c_key = rt.column("key"), c_name = rt.column("name"),
              c_prov = rt.column("province");
    const auto region_params =
        parameter_columns(rt, Scope::region, {"code", "key", "name", "province"}, "region");
    std::vector<Region> regions;
    std::map<std::string, int> code_line, key_line;
    for (const Row& row : rt.rows) {
        Region r;
        r.code = field(row, c_code);
        r.key = field(row, c_key);
        if (r.code.empty())
            throw InputError(at(rt.shown, row.line, column_of(row, c_code)) +
                             "the region has no code; give a stable code such as GM0193");
        if (!valid_key_segment(r.key))
            throw InputError(at(rt.shown, row.line, column_of(row, c_key)) + "region key " +
                             short_text(r.key) +
                             " must be lower-case letters, digits and '_', starting with a letter");
        if (const auto [it, fresh] = code_line.emplace(r.code, row.line); !fresh)
            throw InputError(at(rt.shown, row.line, column_of(row, c_code)) + "region code '" +
                             r.code + "' is given twice (lines " + std::to_string(it->second) +
                             " and " + std::to_string(row.line) + ")");
        if (const auto [it, fresh] = key_line.emplace(r.key, row.line); !fresh)
            throw InputError(at(rt.shown, row.line, column_of(row, c_key)) + "region key '" +
                             r.key + "' is given twice (lines " + std::to_string(it->second) +
                             " and " + std::to_string(row.line) + ")");
        r.name = c_name >= 0 && !field(row, c_name).empty() ? field(row, c_name) : r.key;
        if (c_prov >= 0) {
            r.province = field(row, c_prov);
            if (!r.province.empty() && !valid_key_segment(r.province))
                throw InputError(at(rt.shown, row.line, column_of(row, c_prov)) + "province " +
                                 short_text(r.province) +
                                 " must be lower-case letters, digits and '_', e.g. overijssel");
        }
        for (const auto& [c, def] : region_params)
            if (!field(row, c).empty())
                values.emplace_back(r.key + "." + std::string(def->name),
                                    cell_value(rt, row, c, *def));
        regions.push_back(std::move(r));
    }
    std::set<std::string> region_keys, provinces;
    for (const Region& r : regions) {
        region_keys.insert(r.key);
        if (!r.province.empty()) provinces.insert(r.province);
    }

    // Buyers.
    std::vector<Geography::BuyerRow> buyers;
    if (!in.buyers.empty() || !in.buyers_shown.empty()) {
        const Table bt =
            read_table(in.buyers, in.buyers_shown, "buyers", {"key", "kind", "serves"});
        const int b_key = bt.column("key"), b_kind = bt.column("kind"), b_name = bt.column("name"),
                  b_serves = bt.column("serves");
        const auto buyer_params =
            parameter_columns(bt, Scope::buyer, {"key", "kind", "name", "serves"}, "buyer");
        std::map<std::string, int> buyer_line;
        for (const Row& row : bt.rows) {
            Geography::BuyerRow b;
            b.key = field(row, b_key);
            b.kind = field(row, b_kind);
            b.name = b_name >= 0 && !field(row, b_name).empty() ? field(row, b_name) : b.key;
            if (b.key.empty())
                throw InputError(at(bt.shown, row.line, column_of(row, b_key)) +
                                 "the buyer has no key; give one such as zwolle.municipality");
            if (const auto [it, fresh] = buyer_line.emplace(b.key, row.line); !fresh)
                throw InputError(at(bt.shown, row.line, column_of(row, b_key)) + "buyer key '" +
                                 b.key + "' is given twice (lines " + std::to_string(it->second) +
                                 " and " + std::to_string(row.line) + ")");
            if (region_keys.count(b.key))
                throw InputError(at(bt.shown, row.line, column_of(row, b_key)) + "buyer key '" +
                                 b.key + "' is also a region key; choose another key");
            if (!valid_key_segment(b.kind))
                throw InputError(at(bt.shown, row.line, column_of(row, b_kind)) + "buyer kind " +
                                 short_text(b.kind) +
                                 " must be a lower-case name: municipality, province, hospital, "
                                 "school or a kind of your own");
            // serves: region keys, province:<key>, or all.
            const std::string& serves = field(row, b_serves);
            std::size_t pos = 0;
            while (pos < serves.size()) {
                const std::size_t e = std::min(serves.find(' ', pos), serves.size());
                const std::string token = serves.substr(pos, e - pos);
                pos = e + 1;
                if (token.empty()) continue;
                const int col = column_of(row, b_serves);
                if (token == "all") {
                    for (const std::string& k : region_keys) b.serves.push_back(k);
                } else if (token.starts_with("province:")) {
                    const std::string prov = token.substr(9);
                    if (!provinces.count(prov))
                        throw InputError(at(bt.shown, row.line, col) + "buyer '" + b.key +
                                         "' serves " + short_text(token) + ", but no region of " +
                                         rt.shown + " has province " + short_text(prov));
                    for (const Region& r : regions)
                        if (r.province == prov) b.serves.push_back(r.key);
                } else if (region_keys.count(token)) {
                    b.serves.push_back(token);
                } else {
                    throw InputError(at(bt.shown, row.line, col) + "buyer '" + b.key + "' serves " +
                                     short_text(token) + ", which is not a region key of " +
                                     rt.shown + " (write region keys, province:<province> or all)");
                }
            }
            if (b.serves.empty())
                throw InputError(at(bt.shown, row.line, column_of(row, b_serves)) + "buyer '" +
                                 b.key + "' serves no region; name the regions whose SEs may bid");
            for (const auto& [c, def] : buyer_params)
                if (!field(row, c).empty())
                    values.emplace_back(b.key + "." + std::string(def->name),
                                        cell_value(bt, row, c, *def));
            buyers.push_back(std::move(b));
        }
    }

    // Links.
    std::vector<Geography::LinkRow> links;
    if (!in.links.empty() || !in.links_shown.empty()) {
        const Table lt = read_table(in.links, in.links_shown, "links", {"from", "to", "weight"});
        const int l_from = lt.column("from"), l_to = lt.column("to"), l_w = lt.column("weight");
        if (lt.header.size() != 3)
            throw InputError(at(lt.shown, 1) +
                             "the links table has the columns from, to, weight "
                             "only");
        std::set<std::pair<std::string, std::string>> seen;
        for (const Row& row : lt.rows) {
            const std::string& a = field(row, l_from);
            const std::string& b = field(row, l_to);
            for (const auto& [k, c] : {std::pair{a, l_from}, std::pair{b, l_to}})
                if (!region_keys.count(k))
                    throw InputError(at(lt.shown, row.line, column_of(row, c)) + short_text(k) +
                                     " is not a region key of " + rt.shown);
            if (a == b)
                throw InputError(at(lt.shown, row.line, column_of(row, l_to)) +
                                 "a link from a region to itself");
            if (!seen.insert(std::minmax(a, b)).second)
                throw InputError(at(lt.shown, row.line) + "the link " + a + " - " + b +
                                 " is given twice (links have no direction)");
            const std::string& w = field(row, l_w);
            double weight = 0;
            const auto res = std::from_chars(w.data(), w.data() + w.size(), weight);
            if (w.empty() || res.ec != std::errc{} || res.ptr != w.data() + w.size() ||
                !std::isfinite(weight) || weight < 0)
                throw InputError(at(lt.shown, row.line, column_of(row, l_w)) + "weight " +
                                 short_text(w) + " is not a number of at least 0");
            links.push_back({a, b, weight});
        }
    }

    std::string source = "regions " + in.regions_shown + " (sha256 " + sha256_hex(in.regions) + ")";
    if (!in.buyers_shown.empty())
        source += ", buyers " + in.buyers_shown + " (sha256 " + sha256_hex(in.buyers) + ")";
    if (!in.links_shown.empty())
        source += ", links " + in.links_shown + " (sha256 " + sha256_hex(in.links) + ")";
    try {
        return std::make_shared<const Geography>(std::move(regions), buyers, links, values, source);
    } catch (const std::invalid_argument& e) {
        throw InputError(in.regions_shown + ": " + e.what());
    }
}

GeographyPtr load_geography(const GeographyFiles& files) {
    GeographyText t;
    t.regions = read_text_input(files.regions, "regions table");
    t.regions_shown = files.regions.string();
    if (files.buyers) {
        t.buyers = read_text_input(*files.buyers, "buyers table");
        t.buyers_shown = files.buyers->string();
    }
    if (files.links) {
        t.links = read_text_input(*files.links, "links table");
        t.links_shown = files.links->string();
    }
    return parse_geography(t);
}

}  // namespace sesim
