// What an outside gRPC client meets, against a real controller on
// loopback: reflection (v1 and v1alpha) through a client that knows
// nothing but reflection, health per service, UNIMPLEMENTED for methods
// that do not exist (before authentication, never counted as a failure),
// INVALID_ARGUMENT for bytes that are not a request, and bounded errors.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <iterator>
#include <set>

#include "controller_process.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

// One unary call of `method` with `request` as raw bytes; the response as
// raw bytes in `*response` when not null.
grpc::Status CallWithBytes(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                           const std::string& request, std::string* response = nullptr) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Slice slice(request);
  const grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();
  if (status.ok() && response != nullptr) {
    std::vector<grpc::Slice> slices;
    (void)response_buffer.Dump(&slices);
    response->clear();
    for (const grpc::Slice& part : slices) {
      response->append(reinterpret_cast<const char*>(part.begin()), part.size());
    }
  }
  return status;
}

std::string LogOf(const ControllerProcess& controller) {
  std::ifstream log(controller.log_file());
  return {std::istreambuf_iterator<char>(log), {}};
}

// A client that knows only the reflection protocol: it lists the services,
// fetches their files into a pool of its own, and calls a method by the
// descriptors it got. Written once for v1 and v1alpha, whose messages are
// the same but for the package.
template <typename Reflection, typename Request, typename Response>
class ReflectionOnlyClient {
 public:
  explicit ReflectionOnlyClient(std::shared_ptr<grpc::Channel> channel)
      : stub_(Reflection::NewStub(std::move(channel))) {}

  std::set<std::string> ListServices() {
    auto response = Ask([](auto& request) { request.set_list_services(""); });
    std::set<std::string> names;
    for (const auto& service : response.list_services_response().service()) {
      names.insert(service.name());
    }
    return names;
  }

  // Loads the file that defines `symbol`, with its dependencies, into the
  // client's pool; the service's descriptor, or null.
  const google::protobuf::ServiceDescriptor* LoadService(const std::string& symbol) {
    auto response = Ask([&](auto& request) { request.set_file_containing_symbol(symbol); });
    EXPECT_FALSE(response.has_error_response()) << response.error_response().error_message();
    for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto file;
      EXPECT_TRUE(file.ParseFromString(bytes));
      files_.emplace(file.name(), file);
    }
    // Built in dependency order: a file after everything it imports.
    std::function<void(const std::string&)> build = [&](const std::string& name) {
      if (pool_.FindFileByName(name) != nullptr) return;
      const auto found = files_.find(name);
      ASSERT_NE(found, files_.end()) << "reflection did not send " << name;
      for (const std::string& dependency : found->second.dependency()) build(dependency);
      ASSERT_NE(pool_.BuildFile(found->second), nullptr) << name;
    };
    for (const auto& [name, file] : files_) build(name);
    return pool_.FindServiceByName(symbol);
  }

  const google::protobuf::DescriptorPool& pool() const { return pool_; }

  auto ErrorFor(const std::string& symbol) {
    return Ask([&](auto& request) { request.set_file_containing_symbol(symbol); }).error_response();
  }

 private:
  template <typename Fill>
  Response Ask(Fill fill) {
    grpc::ClientContext context;
    auto stream = stub_->ServerReflectionInfo(&context);
    Request request;
    fill(request);
    EXPECT_TRUE(stream->Write(request));
    stream->WritesDone();
    Response response;
    EXPECT_TRUE(stream->Read(&response));
    const grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::unique_ptr<typename Reflection::Stub> stub_;
  std::map<std::string, google::protobuf::FileDescriptorProto> files_;
  google::protobuf::DescriptorPool pool_;
};

class ApiConventionsTest : public ::testing::Test {
 protected:
  ApiConventionsTest()
      : controller_(PEDISIM_TEST_SCENARIOS_DIR,
                    {"--auth-failure-burst", "5", "--auth-failure-refill-ms", "3600000"}) {}

  // Reflection needs no token; the call at the end carries the admin's.
  template <typename Reflection, typename Request, typename Response>
  void ListAndCallThroughReflectionOnly() {
    ReflectionOnlyClient<Reflection, Request, Response> client(controller_.ChannelWithToken(""));
    const std::set<std::string> services = client.ListServices();
    for (const char* expected :
         {"pedisim.v1.ScenarioService", "pedisim.v1.SessionService", "pedisim.v1.DeviceService",
          "pedisim.v1.AssessmentService", "pedisim.v1.DebriefService", "pedisim.v1.AdminService",
          "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection"}) {
      EXPECT_EQ(services.count(expected), 1u) << expected;
    }
    const google::protobuf::ServiceDescriptor* scenarios =
        client.LoadService("pedisim.v1.ScenarioService");
    ASSERT_NE(scenarios, nullptr);
    const google::protobuf::MethodDescriptor* list = scenarios->FindMethodByName("List");
    ASSERT_NE(list, nullptr);
    // The call, from the reflected descriptors alone.
    google::protobuf::DynamicMessageFactory factory(&client.pool());
    std::unique_ptr<google::protobuf::Message> request(
        factory.GetPrototype(list->input_type())->New());
    std::string answer;
    const grpc::Status status =
        CallWithBytes(controller_.channel(), "/pedisim.v1.ScenarioService/List",
                      request->SerializeAsString(), &answer);
    ASSERT_TRUE(status.ok()) << status.error_message();
    std::unique_ptr<google::protobuf::Message> response(
        factory.GetPrototype(list->output_type())->New());
    ASSERT_TRUE(response->ParseFromString(answer));
    EXPECT_NE(response->DebugString().find("id: \"test-short\""), std::string::npos)
        << response->DebugString();
    // What is not there is NOT_FOUND, in the stream, not as its status.
    EXPECT_EQ(client.ErrorFor("pedisim.v1.NoSuchService").error_code(),
              static_cast<int>(grpc::StatusCode::NOT_FOUND));
  }

  ControllerProcess controller_;
};

TEST_F(ApiConventionsTest, AReflectionOnlyClientListsTheServicesAndCallsOneOverV1) {
  namespace reflection = grpc::reflection::v1;
  ListAndCallThroughReflectionOnly<reflection::ServerReflection,
                                   reflection::ServerReflectionRequest,
                                   reflection::ServerReflectionResponse>();
}

TEST_F(ApiConventionsTest, AReflectionOnlyClientListsTheServicesAndCallsOneOverV1Alpha) {
  namespace reflection = grpc::reflection::v1alpha;
  ListAndCallThroughReflectionOnly<reflection::ServerReflection,
                                   reflection::ServerReflectionRequest,
                                   reflection::ServerReflectionResponse>();
}

TEST_F(ApiConventionsTest, HealthAnswersPerServiceName) {
  auto health = grpc::health::v1::Health::NewStub(controller_.ChannelWithToken(""));
  for (const std::string& name : {std::string(), std::string("pedisim.v1.SessionService"),
                                  std::string("pedisim.v1.DeviceService"),
                                  std::string("grpc.reflection.v1.ServerReflection")}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(name);
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = health->Check(&context, request, &response);
    ASSERT_TRUE(status.ok()) << "'" << name << "': " << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << name;
  }
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("pedisim.v1.NoSuchService");
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_EQ(health->Check(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

// The finding: unknown methods answered UNAUTHENTICATED or
// PERMISSION_DENIED, so reflection v1 probes failed and each counted as a
// failed authentication.
TEST_F(ApiConventionsTest, UnknownMethodsAreUnimplementedWhateverTheTokenAndCountForNothing) {
  const std::string learner = controller_.AddUserWithToken("Nurse Lee", "learner");
  for (const std::string& token :
       {std::string(), std::string(64, 'f'), learner, controller_.admin_token()}) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      for (const char* method : {"/pedisim.v1.SessionService/NoSuchMethod",
                                 "/pedisim.v2.Nothing/Here", "/grpc.reflection.v2.X/Y"}) {
        const grpc::Status status = CallWithBytes(controller_.ChannelWithToken(token), method, "");
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
            << method << ": " << status.error_message();
      }
    }
  }
  // 96 calls, 48 without a valid token, and the burst of 5 is untouched: a
  // bad token still gets UNAUTHENTICATED, not RESOURCE_EXHAUSTED.
  const grpc::Status status = CallWithBytes(controller_.ChannelWithToken(std::string(64, 'f')),
                                            "/pedisim.v1.SessionService/List", "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
}

// The finding: garbage answered UNIMPLEMENTED with no message and no log.
TEST_F(ApiConventionsTest, UndecodableRequestsAreInvalidArgumentAndLoggedOncePerHost) {
  const std::string garbage("\xff\xff\xff\xff\xff\x0f\x01", 7);
  for (int attempt = 0; attempt < 5; ++attempt) {
    const grpc::Status status =
        CallWithBytes(controller_.channel(), "/pedisim.v1.SessionService/Get", garbage);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(),
              "request: cannot be decoded as pedisim.v1.SessionRef (see proto/)");
  }
  // A server-streaming call too.
  EXPECT_EQ(CallWithBytes(controller_.channel(), "/pedisim.v1.SessionService/Watch", garbage)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  const std::string log = LogOf(controller_);
  const std::string line = "/pedisim.v1.SessionService/Get from ipv4:127.0.0.1:";
  const size_t first = log.find(line);
  ASSERT_NE(first, std::string::npos) << log;
  EXPECT_NE(log.find("the request is not a pedisim.v1.SessionRef message", first),
            std::string::npos);
  EXPECT_EQ(log.find(line, first + 1), std::string::npos) << "logged once a minute per host";
}

// The finding: a 20 KB id produced an error larger than the client's header
// limit, which dropped the whole connection, other streams included.
TEST_F(ApiConventionsTest, LongInputIsRefusedWithoutEchoAndTheConnectionLivesOn) {
  auto sessions = v1::SessionService::NewStub(controller_.channel());
  // A stream open on the same connection.
  grpc::ClientContext watch_context;
  v1::WatchRequest watch;
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  v1::Session session;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, create, &session).ok());
  }
  watch.set_session_id(session.id());
  {
    // The finding: Watch took an event id the session never had, silently.
    grpc::ClientContext context;
    v1::WatchRequest beyond = watch;
    beyond.set_after_event_id(1000000);
    auto refused = sessions->Watch(&context, beyond);
    v1::SessionUpdate none;
    EXPECT_FALSE(refused->Read(&none));
    const grpc::Status status = refused->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind("after_event_id: the session has no event 1000000", 0),
              0u)
        << status.error_message();
  }
  auto stream = sessions->Watch(&watch_context, watch);
  v1::SessionUpdate update;
  ASSERT_TRUE(stream->Read(&update));

  grpc::ClientContext context;
  v1::SessionRef ref;
  ref.set_session_id(std::string(20 * 1024, 'x'));
  v1::Session seen;
  const grpc::Status status = sessions->Get(&context, ref, &seen);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "session_id: at most 200 characters, got 20480");

  // Absurd numbers and unknown enum values, naming the field.
  auto assessments = v1::AssessmentService::NewStub(controller_.channel());
  grpc::ClientContext assessment_context;
  v1::GetAssessmentRequest assessment;
  assessment.set_session_id(session.id());
  assessment.set_viewer_role(static_cast<v1::ViewerRole>(7));
  v1::Assessment unused;
  const grpc::Status role = assessments->GetAssessment(&assessment_context, assessment, &unused);
  EXPECT_EQ(role.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(role.error_message(), "viewer_role: 7 is not a ViewerRole value");

  grpc::ClientContext act_context;
  v1::LogActionRequest act;
  act.set_session_id(session.id());
  act.mutable_action()->set_kind(v1::ACTION_KIND_DRUG);
  act.mutable_action()->set_drug("epinephrine");
  act.mutable_action()->set_dose_mg(1e308);
  v1::Event acted;
  const grpc::Status dose = sessions->LogAction(&act_context, act, &acted);
  EXPECT_EQ(dose.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(dose.error_message(), "action.dose_mg: must be between 0 and 100000, got 1e+308");

  // The watch goes on: the session's next update arrives on the same
  // connection.
  grpc::ClientContext start_context;
  v1::SessionRef start;
  start.set_session_id(session.id());
  ASSERT_TRUE(sessions->Start(&start_context, start, &seen).ok());
  EXPECT_TRUE(stream->Read(&update));
  watch_context.TryCancel();
}

// The finding: a misspelt drug ("epinephrin") was logged as given and only
// the report said "unknown drug".
TEST(TypingTrapsTest, AMisspeltDrugIsRefusedWithTheNameItProbablyMeant) {
  ControllerProcess controller(PEDISIM_SCENARIO_LIBRARY_DIR);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("infant-respiratory-failure");
  v1::Session session;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, create, &session).ok());
  }
  {
    grpc::ClientContext context;
    v1::SessionRef start;
    start.set_session_id(session.id());
    ASSERT_TRUE(sessions->Start(&context, start, &session).ok());
  }
  auto give = [&](const std::string& drug) {
    grpc::ClientContext context;
    v1::LogActionRequest request;
    request.set_session_id(session.id());
    request.mutable_action()->set_kind(v1::ACTION_KIND_DRUG);
    request.mutable_action()->set_drug(drug);
    request.mutable_action()->set_dose_mg(0.05);
    request.mutable_action()->set_route("IV");
    v1::Event event;
    return sessions->LogAction(&context, request, &event);
  };
  const grpc::Status typo = give("epinephrin");
  EXPECT_EQ(typo.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(typo.error_message().rfind(
                "action.drug: unknown drug 'epinephrin' (did you mean 'epinephrine'?)", 0),
            0u)
      << typo.error_message();
  EXPECT_TRUE(give("Epinephrine").ok()) << "case does not matter";
  EXPECT_TRUE(give("adrenaline").ok()) << "an alias the drug model lists";
  const grpc::Status unknown = give("zzzz");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(unknown.error_message().find("log it as 'other' with a note"), std::string::npos);
}

}  // namespace
}  // namespace pedisim::testing
