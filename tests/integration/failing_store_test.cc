// A store that fails under the controller (a full disk: RLIMIT_FSIZE on a
// real controller, so that records and the catalog's database cannot grow):
// every RPC of every service still answers with a status that says what
// happened, never an exception escaping into gRPC (UNKNOWN, or
// UNIMPLEMENTED with no message), and the controller keeps serving.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "controller_process.h"
#include "every_rpc.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

// Small enough that the catalog's write-ahead log and every record hit it
// within a few sessions, large enough for the controller to start.
constexpr uint64_t kFileSizeLimit = 96 * 1024;

// The request of `method` ("/pedisim.v1.SessionService/Get") with its
// session_id and scenario_id set, so that the call reaches the store.
std::string RequestFor(const std::string& method, const std::string& session_id) {
  const std::string full_name = method.substr(1);
  const auto slash = full_name.find('/');
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          full_name.substr(0, slash) + "." + full_name.substr(slash + 1));
  if (descriptor == nullptr) return {};
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype(descriptor->input_type())->New());
  const google::protobuf::Reflection* reflection = request->GetReflection();
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"session_id", session_id},
                                    {"scenario_id", "test-short"},
                                    {"label", "store check"}}) {
    const google::protobuf::FieldDescriptor* field =
        descriptor->input_type()->FindFieldByName(name);
    if (field != nullptr && field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
        !field->is_repeated()) {
      reflection->SetString(request.get(), field, value);
    }
  }
  return request->SerializeAsString();
}

// Calls `method` with `payload` (a unary call on the wire whatever its
// kind: one message, then half-close); a stream that goes on is cut by the
// deadline.
grpc::Status Call(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                  const std::string& payload) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Slice slice(payload);
  const grpc::ByteBuffer request(&slice, 1);
  auto call = stub.PrepareUnaryCall(&context, method, request, &queue);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, &status);
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

TEST(FailingStoreTest, EveryRpcAnswersWithAReasonWhenTheStoreFails) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR, {}, {}, kFileSizeLimit);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  // Classes until the disk is full: Create refused, or records failing.
  std::string last_id;
  std::vector<std::string> ended_ids;
  std::vector<std::string> live_ids;
  int refused = 0;
  for (int i = 0; i < 40 && refused == 0; ++i) {
    v1::CreateSessionRequest create;
    create.set_scenario_id("test-short");
    create.set_speed(8);
    create.add_participants()->set_name("Dr. Test");
    grpc::ClientContext context;
    v1::Session session;
    const grpc::Status status = sessions->Create(&context, create, &session);
    if (!status.ok()) {
      ++refused;
      EXPECT_NE(status.error_code(), grpc::StatusCode::UNKNOWN);
      EXPECT_FALSE(status.error_message().empty());
      continue;
    }
    last_id = session.id();
    v1::SessionRef ref;
    ref.set_session_id(session.id());
    grpc::ClientContext start_context;
    (void)sessions->Start(&start_context, ref, &session);
    v1::AddBookmarkRequest bookmark;
    bookmark.set_session_id(session.id());
    bookmark.set_label("mark");
    grpc::ClientContext bookmark_context;
    v1::Event event;
    (void)sessions->AddBookmark(&bookmark_context, bookmark, &event);
    if (i % 2 == 0) {
      grpc::ClientContext stop_context;
      (void)sessions->Stop(&stop_context, ref, &session);
      ended_ids.push_back(session.id());
    } else {
      live_ids.push_back(session.id());
    }
  }
  ASSERT_FALSE(last_id.empty());
  std::printf("store full after %s\n", refused > 0 ? "a refused Create" : "40 sessions");

  ASSERT_FALSE(ended_ids.empty());
  // Every RPC about a live session and about an ended one (the last RPC
  // about it may delete it, the only way a full disk gets room).
  int answered = 0;
  for (const std::string& id : {last_id, ended_ids.front()}) {
    for (const std::string& method : EveryPedisimRpc()) {
      if (method == kRenewTokenRpc) continue;  // it would revoke the admin's token
      const grpc::Status status = Call(controller.channel(), method, RequestFor(method, id));
      std::printf("%s: %d %s\n", method.c_str(), static_cast<int>(status.error_code()),
                  status.error_message().substr(0, 100).c_str());
      EXPECT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << method;
      EXPECT_NE(status.error_code(), grpc::StatusCode::UNKNOWN)
          << method << ": " << status.error_message();
      if (!status.ok() && status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
        EXPECT_FALSE(status.error_message().empty()) << method;
      }
      ++answered;
    }
  }
  EXPECT_GT(answered, 60);

  // Room again (the limit lifted, as when a disk is cleaned up): without a
  // restart, every session that ended is listed ended, none live.
  rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
  ASSERT_EQ(prlimit(controller.pid(), RLIMIT_FSIZE, &unlimited, nullptr), 0);
  auto debrief = v1::DebriefService::NewStub(controller.channel());
  std::set<std::string> still_live;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    still_live.clear();
    grpc::ClientContext list_context;
    v1::ListRecordingsResponse recordings;
    ASSERT_TRUE(debrief->ListRecordings(&list_context, {}, &recordings).ok());
    for (const v1::Recording& recording : recordings.recordings()) {
      if (recording.status() == v1::RECORDING_STATUS_LIVE &&
          std::find(live_ids.begin(), live_ids.end(), recording.session_id()) == live_ids.end()) {
        still_live.insert(recording.session_id());
      }
    }
  } while (!still_live.empty() && std::chrono::steady_clock::now() < give_up);
  EXPECT_TRUE(still_live.empty()) << still_live.size() << " ended sessions still listed live";
  // Still serving.
  grpc::ClientContext context;
  v1::ListSessionsResponse listed;
  const grpc::Status status = sessions->List(&context, {}, &listed);
  EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
}

}  // namespace
}  // namespace pedisim::testing
