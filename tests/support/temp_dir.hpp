// A fresh temporary folder per test case, removed afterwards (ctest runs test cases in
// parallel, so each needs its own).
#pragma once
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace sesim::test {

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& label = "sesim-test") {
        std::string tmpl = (std::filesystem::temp_directory_path() / (label + "-XXXXXX")).string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    // Writes `text` to the file `name` in this folder and returns its path.
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        const std::filesystem::path p = path / name;
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

}  // namespace sesim::test
