#include "model/calendar.hpp"

#include <charconv>
#include <cstdio>

namespace sesim {

std::optional<int> parse_month(std::string_view text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    int y = 0;
    int m = 0;
    auto r1 = std::from_chars(text.data(), text.data() + 4, y);
    auto r2 = std::from_chars(text.data() + 5, text.data() + 7, m);
    if (r1.ec != std::errc{} || r1.ptr != text.data() + 4) return std::nullopt;
    if (r2.ec != std::errc{} || r2.ptr != text.data() + 7) return std::nullopt;
    if (y < 1900 || y > 2999 || m < 1 || m > 12) return std::nullopt;
    return month_index(y, m);
}

std::string format_month(int month_idx) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year_of(month_idx), month_of(month_idx));
    return buf;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace sesim
