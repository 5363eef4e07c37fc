#include "output/digest.hpp"

#include <algorithm>
#include <cstring>

#include "model/outputs.hpp"
#include "output/read_file.hpp"
#include "output/stats.hpp"

namespace sesim {

namespace {

void put_u64(std::uint8_t* out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

void DigestBuilder::add(const std::string& path, std::uint64_t rows, std::uint64_t cols,
                        const double* values) {
    Sha256 one;
    auto feed = [&](const void* p, std::size_t n) {
        one.update(p, n);
        all_.update(p, n);
    };
    feed(path.data(), path.size());
    const std::uint8_t nul = 0;
    feed(&nul, 1);
    std::uint8_t dims[16];
    put_u64(dims, rows);
    put_u64(dims + 8, cols);
    feed(dims, sizeof dims);
    // Little-endian bytes whatever the machine's order, in chunks to keep calls few.
    std::uint8_t chunk[8 * 512];
    std::size_t used = 0;
    const std::uint64_t n = rows * cols;
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint64_t bits;
        std::memcpy(&bits, values + i, sizeof bits);
        put_u64(chunk + used, bits);
        used += 8;
        if (used == sizeof chunk) {
            feed(chunk, used);
            used = 0;
        }
    }
    feed(chunk, used);
    out_.datasets.push_back({path, rows, cols, one.finish_hex()});
}

FileDigest DigestBuilder::finish() {
    out_.sha256 = all_.finish_hex();
    return std::move(out_);
}

FileDigest digest_file(const std::filesystem::path& file) {
    const RecordedFile rec = read_recorded_file(file);
    const RecordedData data(file);
    std::vector<const RecordedScenario*> order;
    for (const RecordedScenario& s : rec.scenarios) order.push_back(&s);
    std::sort(order.begin(), order.end(), [](const RecordedScenario* a, const RecordedScenario* b) {
        return a->scenario.name < b->scenario.name;
    });
    DigestBuilder digest;
    for (const RecordedScenario* s : order) {
        const std::string& group = s->scenario.name;
        const auto months = static_cast<std::size_t>(s->months);
        for (const OutputDef& def : kOutputDefs) {
            const std::string output(def.name);
            for (const std::string& name : {output, output + std::string(kStatsSuffix)}) {
                if (!data.has(group, name)) continue;
                const auto rows = static_cast<std::size_t>(data.shape(group, name)[0]);
                const std::vector<double> values = data.rows(group, name, rows, months);
                std::string path = group;
                path += '/';
                path += name;
                digest.add(path, rows, months, values.data());
            }
        }
    }
    return digest.finish();
}

}  // namespace sesim
