#include "fuzz/fuzz_input.h"

#include <fstream>
#include <sstream>

namespace cyclops::fuzz {

std::vector<spec::SpecDocument> SplitDocuments(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<spec::SpecDocument> documents(1);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line == kFileSeparator) {
      documents.emplace_back();
    } else {
      documents.back().text += line;
      if (end < text.size()) documents.back().text += '\n';
    }
    start = end + 1;
  }
  for (size_t i = 0; i < documents.size(); ++i) documents[i].name = "fuzz" + std::to_string(i) + ".yaml";
  return documents;
}

std::string SourceFile(const std::string& relative) {
  const std::string path = std::string(CYCLOPS_SOURCE_DIR) + "/" + relative;
  std::ifstream file(path);
  if (!file) {
    std::fprintf(stderr, "fuzz harness: cannot read %s\n", path.c_str());
    std::abort();
  }
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace cyclops::fuzz
