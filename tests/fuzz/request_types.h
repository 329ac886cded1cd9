#pragma once

#include <google/protobuf/descriptor.h>

#include <vector>

#include "pedisim/v1/admin_service.pb.h"
#include "pedisim/v1/assessment_service.pb.h"
#include "pedisim/v1/debrief_service.pb.h"
#include "pedisim/v1/scenario_service.pb.h"
#include "pedisim/v1/session_service.pb.h"

namespace pedisim::fuzz {

// The request types of every method that takes one request (unary or
// server-streaming), in a fixed order: request_fuzzer's first input byte
// picks one, and make_seed_corpus writes its seeds by the same order.
inline std::vector<const google::protobuf::Descriptor*> RequestTypes() {
  // Naming one message per file makes sure every service's file is linked.
  const std::vector<const google::protobuf::FileDescriptor*> files = {
      v1::AddUserRequest::descriptor()->file(), v1::GetAssessmentRequest::descriptor()->file(),
      v1::ReplayRequest::descriptor()->file(), v1::ListScenariosRequest::descriptor()->file(),
      v1::CreateSessionRequest::descriptor()->file()};
  std::vector<const google::protobuf::Descriptor*> types;
  for (const google::protobuf::FileDescriptor* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        const google::protobuf::MethodDescriptor* method = file->service(s)->method(m);
        if (!method->client_streaming()) types.push_back(method->input_type());
      }
    }
  }
  return types;
}

}  // namespace pedisim::fuzz
