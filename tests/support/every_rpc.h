#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "pedisim/v1/admin_service.pb.h"
#include "pedisim/v1/assessment_service.pb.h"
#include "pedisim/v1/debrief_service.pb.h"
#include "pedisim/v1/device_service.pb.h"
#include "pedisim/v1/scenario_service.pb.h"
#include "pedisim/v1/session_service.pb.h"

namespace pedisim::testing {

// Every RPC of every service in proto/, as gRPC names it
// ("/pedisim.v1.SessionService/Start"), from the generated descriptors: a
// service added to proto/ is covered by the tests that use this at once.
// The one RPC that revokes the token it is called with: a test calling
// every RPC with one token skips it (AccessTest covers it on its own).
inline constexpr char kRenewTokenRpc[] = "/pedisim.v1.AdminService/RenewToken";

inline std::vector<std::string> EveryPedisimRpc() {
  // A message of each service file: naming it links the file's descriptors
  // into the test, which a service name alone does not.
  std::vector<std::string> methods;
  for (const google::protobuf::FileDescriptor* file :
       {v1::ListScenariosRequest::descriptor()->file(), v1::SessionRef::descriptor()->file(),
        v1::GetAssessmentRequest::descriptor()->file(), v1::ReplayRequest::descriptor()->file(),
        v1::DeviceMessage::descriptor()->file(), v1::AddUserRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.push_back("/" + service->full_name() + "/" + service->method(m)->name());
      }
    }
  }
  return methods;
}

}  // namespace pedisim::testing
