// Counter-based random numbers (Random123 Philox4x32-10, Salmon et al. SC'11).
//
// A draw is a pure function of (seed, replicate, entity id, month, purpose, index): there is
// no generator state to advance. Hence the same agent makes the same draw for the same
// purpose in every scenario (common random numbers), whatever the thread or process count,
// and adding a draw somewhere never shifts any other draw.
#pragma once
#include <Random123/philox.h>

#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace sesim {

// The splitmix64 finaliser (Steele, Lea & Flood 2014): a bijection on 64 bits that mixes every
// input bit into every output bit; entity ids are built with it (model/state.hpp, ids).
constexpr std::uint64_t mix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

// A 64-bit hash of a text (FNV-1a, then mix64): the stream of a region code or buyer key.
constexpr std::uint64_t hash_text(std::string_view text) {
    std::uint64_t h = 0xCBF29CE484222325ULL;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001B3ULL;
    }
    return mix64(h);
}

// What a draw is for. Values are part of the model's definition: never renumber them,
// append new purposes at the end (renumbering changes every result).
enum class Purpose : std::uint32_t {
    init_sector = 1,
    init_mission,
    init_fte,
    init_skill,
    init_age,
    init_visibility,
    sme_init,  // size class, CSR orientation, awareness and first partner-search thresholds
    sme_partner_search,
    partner_choice,
    partner_dissolve,
    partner_co_invest,
    tender_count,
    tender_sector,  // sector, duration, set-aside and RIC
    tender_value,   // value and the buyer's practice
    regular_bidders,
    regular_bid,
    se_bid,
    accelerator_pick,
    exit,
    entry_count,
    init_market,   // the size of an SE's own market (lognormal)
    init_partner,  // SME partnered at the start: whether, with whom, for how long
    init_credit,   // credit drawn at the start by a loss-making SE
};

class Rng {
  public:
    Rng(std::uint32_t seed, std::uint32_t replicate) : key_{{seed, replicate}} {}

    // Four independent 32-bit words for (entity, month, purpose, index).
    r123::Philox4x32::ctr_type raw(std::uint64_t entity, int month, Purpose purpose,
                                   std::uint32_t index = 0) const {
        const r123::Philox4x32::ctr_type ctr{{static_cast<std::uint32_t>(entity),
                                              static_cast<std::uint32_t>(entity >> 32),
                                              static_cast<std::uint32_t>(month),
                                              (static_cast<std::uint32_t>(purpose) << 20) ^ index}};
        return r123::Philox4x32{}(ctr, key_);
    }

    // Uniform on the open interval (0, 1) with 53 random bits.
    double uniform(std::uint64_t entity, int month, Purpose purpose,
                   std::uint32_t index = 0) const {
        const auto r = raw(entity, month, purpose, index);
        return to_open01(r[0], r[1]);
    }

    // Standard normal by Box-Muller on the two halves of one Philox block.
    double normal(std::uint64_t entity, int month, Purpose purpose, std::uint32_t index = 0) const {
        const auto r = raw(entity, month, purpose, index);
        const double u1 = to_open01(r[0], r[1]);
        const double u2 = to_open01(r[2], r[3]);
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    // Exponential with rate 1.
    double exponential(std::uint64_t entity, int month, Purpose purpose,
                       std::uint32_t index = 0) const {
        return -std::log(uniform(entity, month, purpose, index));
    }

    // Poisson(mean) from one uniform u, so that the count for a given (entity, month, purpose)
    // is monotone in the mean on each side of 500 (a higher rate never gives fewer): inversion
    // of the CDF up to a mean of 500; above it the normal approximation with z the normal
    // quantile of the same u (monotone too, as 1 + z / (2 sqrt(mean)) > 0 for |z| < 44). At
    // the switch itself the two methods can differ by a count or so.
    int poisson(double mean, std::uint64_t entity, int month, Purpose purpose) const {
        if (mean <= 0) return 0;
        const double u = uniform(entity, month, purpose);
        if (mean > 500) {
            const double z = -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * u);
            return static_cast<int>(std::max(0.0, std::floor(mean + std::sqrt(mean) * z + 0.5)));
        }
        double p = std::exp(-mean);
        double cdf = p;
        int k = 0;
        while (u > cdf && k < 10000) {
            ++k;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }

    // Uniform on (0, 1) from one 32-bit word, for choices where 32 bits of resolution suffice
    // (the tender and SME blocks: four draws from one Philox block).
    static double to_open01(std::uint32_t x) { return (x + 0.5) * 0x1.0p-32; }

    static double to_open01(std::uint32_t hi, std::uint32_t lo) {
        const std::uint64_t bits = (static_cast<std::uint64_t>(hi) << 21) ^ (lo >> 11);  // 53 bits
        return (static_cast<double>(bits & ((1ULL << 53) - 1)) + 0.5) * 0x1.0p-53;
    }

    // The Philox key (seed, replicate), for code that evaluates many blocks at once with the
    // same arithmetic (the SEs' bid draws, model/tenders.cpp).
    const r123::Philox4x32::key_type& key() const { return key_; }

  private:
    r123::Philox4x32::key_type key_;
};

}  // namespace sesim
