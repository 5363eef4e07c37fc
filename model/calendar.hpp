// Months and dates. A month is stored as an absolute index `year * 12 + (month - 1)` so that
// differences are month counts and "2020-01" parses without a calendar library.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sesim {

// Months in a year: converts annual budgets and rates to monthly ones, and the 12-month
// smoothing window of revenue and profit (a unit conversion, not a behavioural number).
inline constexpr double kMonthsPerYear = 12.0;

constexpr int month_index(int year, int month) {
    return year * 12 + (month - 1);
}
constexpr int year_of(int month_idx) {
    return month_idx / 12;
}
constexpr int month_of(int month_idx) {
    return month_idx % 12 + 1;
}

// "YYYY-MM" -> month index; nullopt when malformed or the month is not 1..12.
std::optional<int> parse_month(std::string_view text);
std::string format_month(int month_idx);

// Days from 1970-01-01 to the first day of the month (proleptic Gregorian, H. Hinnant's
// days_from_civil algorithm). Used for the CF `time` coordinate.
std::int64_t days_from_civil(int y, unsigned m, unsigned d);

// Days from 2019-01-01 to the first day of the month: the CF time value of that month.
inline double cf_days_since_2019(int month_idx) {
    return static_cast<double>(
        days_from_civil(year_of(month_idx), static_cast<unsigned>(month_of(month_idx)), 1) -
        days_from_civil(2019, 1, 1));
}
inline constexpr const char* kTimeUnits = "days since 2019-01-01";

}  // namespace sesim
