#include "proto_comments.h"

#include <google/protobuf/descriptor.pb.h>

#include <memory>
#include <sstream>

namespace pedisim::cli {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptorSet;

// scenario.proto and actions.proto with their imports, as protoc wrote
// them with --include_source_info (cli/CMakeLists.txt).
constexpr unsigned char kScenarioDescriptors[] = {
#include "scenario_descriptors.inc"
};

// A pool of the embedded descriptors; the generated ones carry no comments.
const DescriptorPool& CommentedPool() {
  static const std::unique_ptr<DescriptorPool> pool = [] {
    auto built = std::make_unique<DescriptorPool>();
    FileDescriptorSet files;
    if (files.ParseFromArray(kScenarioDescriptors, sizeof(kScenarioDescriptors))) {
      // protoc lists imports before the files that import them.
      for (const auto& file : files.file()) built->BuildFile(file);
    }
    return built;
  }();
  return *pool;
}

// "Seconds to reach the targets; 0 = immediately.": the comment's lines,
// trimmed and joined.
std::string Joined(const std::string& comment) {
  std::istringstream lines(comment);
  std::string line;
  std::string joined;
  while (std::getline(lines, line)) {
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    const size_t last = line.find_last_not_of(" \t");
    if (!joined.empty()) joined += ' ';
    joined += line.substr(first, last - first + 1);
  }
  return joined;
}

}  // namespace

std::string FieldComment(const FieldDescriptor& field) {
  const FieldDescriptor* commented = CommentedPool().FindFieldByName(field.full_name());
  google::protobuf::SourceLocation location;
  if (!commented || !commented->GetSourceLocation(&location)) return "";
  return Joined(location.leading_comments);
}

}  // namespace pedisim::cli
