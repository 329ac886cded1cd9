#include "controller/services/reflection_v1_service.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <set>

namespace pedisim::services {

namespace {

namespace reflection = grpc::reflection::v1;
using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;

// One stream: reads a request, writes its answer, reads the next, until the
// client half-closes. Remembers which files it has sent.
class ReflectionReactor final
    : public grpc::ServerBidiReactor<reflection::ServerReflectionRequest,
                                     reflection::ServerReflectionResponse> {
 public:
  explicit ReflectionReactor(const std::vector<std::string>& services) : services_(services) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    Answer();
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  void Answer() {
    response_.Clear();
    response_.set_valid_host(request_.host());
    *response_.mutable_original_request() = request_;
    const DescriptorPool& pool = *DescriptorPool::generated_pool();
    switch (request_.message_request_case()) {
      case reflection::ServerReflectionRequest::kListServices:
        for (const std::string& name : services_) {
          response_.mutable_list_services_response()->add_service()->set_name(name);
        }
        return;
      case reflection::ServerReflectionRequest::kFileByFilename:
        return SendFile(pool.FindFileByName(request_.file_by_filename()), "file");
      case reflection::ServerReflectionRequest::kFileContainingSymbol:
        return SendFile(pool.FindFileContainingSymbol(request_.file_containing_symbol()), "symbol");
      case reflection::ServerReflectionRequest::kFileContainingExtension: {
        const reflection::ExtensionRequest& extension = request_.file_containing_extension();
        const google::protobuf::Descriptor* type =
            pool.FindMessageTypeByName(extension.containing_type());
        const google::protobuf::FieldDescriptor* field =
            type ? pool.FindExtensionByNumber(type, extension.extension_number()) : nullptr;
        return SendFile(field ? field->file() : nullptr, "extension");
      }
      case reflection::ServerReflectionRequest::kAllExtensionNumbersOfType: {
        const google::protobuf::Descriptor* type =
            pool.FindMessageTypeByName(request_.all_extension_numbers_of_type());
        if (type == nullptr) return Error(grpc::StatusCode::NOT_FOUND, "type not found");
        std::vector<const google::protobuf::FieldDescriptor*> extensions;
        pool.FindAllExtensions(type, &extensions);
        reflection::ExtensionNumberResponse* numbers =
            response_.mutable_all_extension_numbers_response();
        numbers->set_base_type_name(type->full_name());
        for (const google::protobuf::FieldDescriptor* extension : extensions) {
          numbers->add_extension_number(extension->number());
        }
        return;
      }
      case reflection::ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET:
        return Error(grpc::StatusCode::INVALID_ARGUMENT, "message_request: required");
    }
    Error(grpc::StatusCode::UNIMPLEMENTED, "message_request: unknown kind");
  }

  // `file` first, then each dependency not yet sent on this stream, as the
  // client needs them all to build its pool.
  void SendFile(const FileDescriptor* file, const char* what) {
    if (file == nullptr)
      return Error(grpc::StatusCode::NOT_FOUND, std::string(what) + " not found");
    reflection::FileDescriptorResponse* files = response_.mutable_file_descriptor_response();
    std::vector<const FileDescriptor*> pending{file};
    bool first = true;
    while (!pending.empty()) {
      const FileDescriptor* next = pending.back();
      pending.pop_back();
      // The asked-for file always goes; a dependency only once per stream.
      if (!sent_.insert(next->name()).second && !first) continue;
      first = false;
      google::protobuf::FileDescriptorProto proto;
      next->CopyTo(&proto);
      files->add_file_descriptor_proto(proto.SerializeAsString());
      for (int i = 0; i < next->dependency_count(); ++i) pending.push_back(next->dependency(i));
    }
  }

  void Error(grpc::StatusCode code, std::string message) {
    reflection::ErrorResponse* error = response_.mutable_error_response();
    error->set_error_code(static_cast<int32_t>(code));
    error->set_error_message(std::move(message));
  }

  const std::vector<std::string>& services_;
  reflection::ServerReflectionRequest request_;
  reflection::ServerReflectionResponse response_;
  std::set<std::string> sent_;
};

}  // namespace

grpc::ServerBidiReactor<reflection::ServerReflectionRequest, reflection::ServerReflectionResponse>*
ReflectionV1Service::ServerReflectionInfo(grpc::CallbackServerContext* /*context*/) {
  // Public, like health: the access check admits every caller.
  return new ReflectionReactor(services_);
}

}  // namespace pedisim::services
