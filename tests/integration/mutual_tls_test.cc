// Mutual TLS for devices against a real controller listening beyond loopback
// (an address of this machine's interfaces, or 0.0.0.0 when it has none): a
// device whose certificate the controller's CA issued joins without a token,
// on gRPC and on the device TCP port; other certificates, removed users and
// non-device calls are refused; AdminService.IssueDeviceCertificate and
// `pedisimctl device-cert issue` check what they sign.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <ctime>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <thread>

#include "beyond_loopback_test.h"
#include "client/tls_fingerprint.h"
#include "controller_process.h"
#include "devices/network/device_client.h"
#include "pedisim/v1/admin_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

using devices::DeviceClient;
using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;
using SigningRequest = std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

Key NewKey() { return Key(EVP_EC_gen("P-256"), EVP_PKEY_free); }

std::string KeyPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return BioText(bio.get());
}

std::string CertificatePem(X509* certificate) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), certificate);
  return BioText(bio.get());
}

// A PKCS#10 request for `key`, asking for `common_name`.
std::string SigningRequestPem(EVP_PKEY* key, const std::string& common_name) {
  SigningRequest request(X509_REQ_new(), X509_REQ_free);
  X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(request.get()), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_REQ_set_pubkey(request.get(), key);
  X509_REQ_sign(request.get(), key, EVP_sha256());
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509_REQ(bio.get(), request.get());
  return BioText(bio.get());
}

std::string CommonNameOf(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!certificate) return "";
  char name[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(certificate.get()), NID_commonName, name,
                            sizeof name);
  return name;
}

Certificate Sign(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
                 const std::vector<std::pair<int, std::string>>& extensions) {
  Certificate certificate(X509_new(), X509_free);
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), issuer ? 2 : 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 24 * 60 * 60);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(certificate.get()), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(certificate.get(),
                       X509_get_subject_name(issuer ? issuer : certificate.get()));
  X509_set_pubkey(certificate.get(), key);
  for (const auto& [nid, value] : extensions) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer ? issuer : certificate.get(), certificate.get(), nullptr,
                   nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
    X509_add_ext(certificate.get(), extension, -1);
    X509_EXTENSION_free(extension);
  }
  X509_sign(certificate.get(), issuer_key, EVP_sha256());
  return certificate;
}

// A device's files: its certificate and private key.
struct DeviceIdentity {
  std::filesystem::path certificate_file;
  std::filesystem::path key_file;
};

class MutualTlsTest : public BeyondLoopbackTest {
 protected:
  explicit MutualTlsTest(std::vector<std::string> flags = {})
      : BeyondLoopbackTest(std::move(flags)),
        admin_(v1::AdminService::NewStub(controller_.channel())) {}

  std::filesystem::path CaFile() const { return controller_.data_dir() / "tls" / "ca.crt"; }
  std::string log() const { return ReadText(controller_.log_file()); }
  // Whether the controller's log shows `text` within a few seconds: a
  // client may see a refusal before the controller has logged it.
  bool LogShows(const std::string& text) const {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (log().find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  void AddUser(const std::string& name, v1::Role role) {
    v1::AddUserRequest request;
    request.mutable_user()->set_name(name);
    request.mutable_user()->set_role(role);
    grpc::ClientContext context;
    v1::User added;
    const grpc::Status status = admin_->AddUser(&context, request, &added);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  void RemoveUser(const std::string& name) {
    v1::RemoveUserRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    v1::RemoveUserResponse removed;
    const grpc::Status status = admin_->RemoveUser(&context, request, &removed);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  static grpc::Status Issue(v1::AdminService::Stub& admin, const std::string& user,
                            const std::string& request_pem, v1::DeviceCertificate* issued) {
    v1::IssueDeviceCertificateRequest request;
    request.set_user_name(user);
    request.set_certificate_signing_request_pem(request_pem);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return admin.IssueDeviceCertificate(&context, request, issued);
  }

  // A key made here and a certificate for it issued by the controller for
  // `user`, written to files as a device keeps them.
  DeviceIdentity IssueIdentity(const std::string& user) {
    const Key key = NewKey();
    v1::DeviceCertificate issued;
    const grpc::Status status = Issue(*admin_, user, SigningRequestPem(key.get(), user), &issued);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return WriteIdentity(user, issued.certificate_pem(), KeyPem(key.get()));
  }

  DeviceIdentity WriteIdentity(const std::string& name, const std::string& certificate_pem,
                               const std::string& key_pem) {
    const DeviceIdentity identity{temp_.path() / (name + ".crt"), temp_.path() / (name + ".key")};
    std::ofstream(identity.certificate_file) << certificate_pem;
    std::ofstream(identity.key_file) << key_pem;
    return identity;
  }

  client::ConnectionOptions Connection(const DeviceIdentity& identity,
                                       const std::string& token = "") const {
    return {.token = token,
            .ca_file = CaFile().string(),
            .fingerprint = "",
            .certificate_file = identity.certificate_file.string(),
            .key_file = identity.key_file.string()};
  }

  grpc::Status WhoAmI(const client::ConnectionOptions& connection, v1::User* user) const {
    auto admin =
        v1::AdminService::NewStub(client::MakeControllerChannel(GrpcAddress(), connection));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return admin->WhoAmI(&context, v1::WhoAmIRequest(), user);
  }

  v1::Session CreateSession() {
    auto sessions = v1::SessionService::NewStub(controller_.channel());
    grpc::ClientContext context;
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    v1::Session session;
    const grpc::Status status = sessions->Create(&context, request, &session);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return session;
  }

  // A device that pairs with `session` on `transport`, presenting
  // `identity` and no token.
  DeviceClient::Options Device(DeviceClient::Transport transport, const v1::Session& session,
                               const std::string& name, const DeviceIdentity& identity) const {
    DeviceClient::Options options;
    options.transport = transport;
    options.address = transport == DeviceClient::Transport::kGrpc ? GrpcAddress() : DeviceAddress();
    options.ca_file = CaFile().string();
    options.certificate_file = identity.certificate_file.string();
    options.key_file = identity.key_file.string();
    options.connect_timeout = std::chrono::seconds(5);
    options.hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
    options.hello.set_name(name);
    options.hello.set_pairing_code(session.pairing_code());
    options.hello.mutable_identity()->set_manufacturer("Test Devices");
    options.hello.mutable_identity()->set_model("Certified Monitor");
    options.hello.mutable_identity()->set_serial(name);
    return options;
  }

  static constexpr DeviceClient::Transport kTransports[] = {DeviceClient::Transport::kGrpc,
                                                            DeviceClient::Transport::kTcp};
  static const char* Name(DeviceClient::Transport transport) {
    return transport == DeviceClient::Transport::kGrpc ? "gRPC" : "TCP";
  }

  std::unique_ptr<v1::AdminService::Stub> admin_;
  TempDir temp_;
};

TEST_F(MutualTlsTest, ADeviceWithAnIssuedCertificateJoinsWithoutATokenOverGrpcAndTcp) {
  AddUser("monitor-1", v1::ROLE_DEVICE);
  const Key key = NewKey();
  v1::DeviceCertificate issued;
  // The subject the request asks for does not matter: the admin names the
  // device.
  const grpc::Status status =
      Issue(*admin_, "monitor-1", SigningRequestPem(key.get(), "admin"), &issued);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(CommonNameOf(issued.certificate_pem()), "monitor-1");
  EXPECT_EQ(issued.ca_certificate_pem(), ReadText(CaFile()));
  EXPECT_EQ(issued.fingerprint_sha256(), client::CertificateFingerprint(issued.certificate_pem()));
  const int64_t in_a_year = std::time(nullptr) + 365 * 24 * 60 * 60;
  EXPECT_NEAR(static_cast<double>(issued.not_after_unix_s()), static_cast<double>(in_a_year), 60.0);
  const DeviceIdentity identity =
      WriteIdentity("monitor-1", issued.certificate_pem(), KeyPem(key.get()));

  v1::User user;
  const grpc::Status who = WhoAmI(Connection(identity), &user);
  ASSERT_TRUE(who.ok()) << who.error_message();
  EXPECT_EQ(user.name(), "monitor-1");
  EXPECT_EQ(user.role(), v1::ROLE_DEVICE);

  const v1::Session session = CreateSession();
  for (DeviceClient::Transport transport : kTransports) {
    SCOPED_TRACE(Name(transport));
    grpc::Status joined;
    std::unique_ptr<DeviceClient> device =
        DeviceClient::Connect(Device(transport, session, Name(transport), identity), &joined);
    ASSERT_NE(device, nullptr) << joined.error_message();
    EXPECT_EQ(device->welcome().session_id(), session.id());
  }

  // Trusting the controller by its pinned fingerprint instead of its CA.
  client::ConnectionOptions pinned = Connection(identity);
  pinned.ca_file.clear();
  pinned.fingerprint =
      client::CertificateFingerprint(ReadText(controller_.data_dir() / "tls" / "server.crt"));
  const grpc::Status pinned_who = WhoAmI(pinned, &user);
  EXPECT_TRUE(pinned_who.ok()) << pinned_who.error_message();
  EXPECT_EQ(user.name(), "monitor-1");
}

TEST_F(MutualTlsTest, ACertificateFromAnotherCaIsRefused) {
  AddUser("monitor-2", v1::ROLE_DEVICE);
  // A CA of this test's own, which names an existing device user: the
  // name alone proves nothing.
  const Key ca_key = NewKey();
  const Certificate ca =
      Sign(ca_key.get(), "Not the controller's CA", nullptr, ca_key.get(),
           {{NID_basic_constraints, "critical,CA:TRUE"}, {NID_key_usage, "critical,keyCertSign"}});
  const Key key = NewKey();
  const Certificate forged =
      Sign(key.get(), "monitor-2", ca.get(), ca_key.get(),
           {{NID_basic_constraints, "critical,CA:FALSE"}, {NID_ext_key_usage, "clientAuth"}});
  const DeviceIdentity identity = WriteIdentity(
      "monitor-2", CertificatePem(forged.get()) + CertificatePem(ca.get()), KeyPem(key.get()));

  v1::User user;
  const grpc::Status who = WhoAmI(Connection(identity), &user);
  EXPECT_EQ(who.error_code(), grpc::StatusCode::UNAVAILABLE) << who.error_message();

  const v1::Session session = CreateSession();
  grpc::Status refused;
  // gRPC's device client waits for a connection the handshake never
  // completes, then gives up (CANCELLED).
  DeviceClient::Options over_grpc =
      Device(DeviceClient::Transport::kGrpc, session, "forged-grpc", identity);
  over_grpc.connect_timeout = std::chrono::seconds(2);
  EXPECT_EQ(DeviceClient::Connect(over_grpc, &refused), nullptr);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(DeviceClient::Connect(
                Device(DeviceClient::Transport::kTcp, session, "forged-tcp", identity), &refused),
            nullptr);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_TRUE(LogShows("TLS handshake failed")) << log();
}

TEST_F(MutualTlsTest, RemovingTheUserInvalidatesItsCertificatesAtTheNextConnection) {
  AddUser("monitor-3", v1::ROLE_DEVICE);
  const DeviceIdentity identity = IssueIdentity("monitor-3");
  v1::User user;
  ASSERT_TRUE(WhoAmI(Connection(identity), &user).ok());

  RemoveUser("monitor-3");
  const grpc::Status removed = WhoAmI(Connection(identity), &user);
  EXPECT_EQ(removed.error_code(), grpc::StatusCode::UNAUTHENTICATED) << removed.error_message();
  EXPECT_NE(removed.error_message().find("client certificate: 'monitor-3'"), std::string::npos)
      << removed.error_message();
  EXPECT_NE(log().find("client certificate: 'monitor-3' is not a device user"), std::string::npos)
      << log();
  const v1::Session session = CreateSession();
  grpc::Status refused;
  EXPECT_EQ(DeviceClient::Connect(
                Device(DeviceClient::Transport::kTcp, session, "removed", identity), &refused),
            nullptr);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED) << refused.error_message();

  // A new user under the same name is someone else: the old certificate,
  // issued before it existed, is not theirs. (Certificates start on the
  // second they were issued; the new user must come a second later.)
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  AddUser("monitor-3", v1::ROLE_DEVICE);
  const grpc::Status recreated = WhoAmI(Connection(identity), &user);
  EXPECT_EQ(recreated.error_code(), grpc::StatusCode::UNAUTHENTICATED) << recreated.error_message();
  const DeviceIdentity fresh = IssueIdentity("monitor-3");
  const grpc::Status reissued = WhoAmI(Connection(fresh), &user);
  EXPECT_TRUE(reissued.ok()) << reissued.error_message();
}

// An open link is re-checked as it goes, against the same rule: a user
// removed and added again at once does not keep the old certificate's link.
TEST_F(MutualTlsTest, ALinkOpenedWithACertificateEndsWhenItsUserIsRemovedAndAddedAgain) {
  AddUser("monitor-5", v1::ROLE_DEVICE);
  const DeviceIdentity identity = IssueIdentity("monitor-5");
  const v1::Session session = CreateSession();
  std::vector<std::unique_ptr<DeviceClient>> links;
  for (DeviceClient::Transport transport :
       {DeviceClient::Transport::kGrpc, DeviceClient::Transport::kTcp}) {
    grpc::Status status;
    links.push_back(DeviceClient::Connect(
        Device(transport, session,
               transport == DeviceClient::Transport::kTcp ? "over-tcp" : "over-grpc", identity),
        &status));
    ASSERT_NE(links.back(), nullptr) << status.error_message();
  }
  // Certificates start on the second they were issued; the new user must
  // come a second later to be told apart.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  RemoveUser("monitor-5");
  AddUser("monitor-5", v1::ROLE_DEVICE);
  for (const std::unique_ptr<DeviceClient>& link : links) {
    v1::ControllerMessage message;
    while (link->Next(&message)) {
    }
    EXPECT_EQ(link->final_status().error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << link->final_status().error_message();
  }
}

TEST_F(MutualTlsTest, ADeviceCertificateReachesOnlyWhatDevicesMayCall) {
  AddUser("monitor-4", v1::ROLE_DEVICE);
  const DeviceIdentity identity = IssueIdentity("monitor-4");
  const std::shared_ptr<grpc::Channel> channel =
      client::MakeControllerChannel(GrpcAddress(), Connection(identity));

  auto sessions = v1::SessionService::NewStub(channel);
  grpc::ClientContext create_context;
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  v1::Session session;
  const grpc::Status created = sessions->Create(&create_context, create, &session);
  EXPECT_EQ(created.error_code(), grpc::StatusCode::PERMISSION_DENIED) << created.error_message();

  auto admin = v1::AdminService::NewStub(channel);
  v1::DeviceCertificate issued;
  const grpc::Status issue =
      Issue(*admin, "monitor-4", SigningRequestPem(NewKey().get(), "monitor-4"), &issued);
  EXPECT_EQ(issue.error_code(), grpc::StatusCode::PERMISSION_DENIED) << issue.error_message();
}

TEST_F(MutualTlsTest, ATokenSentWithACertificateMustBeTheSameUsers) {
  AddUser("monitor-5", v1::ROLE_DEVICE);
  const DeviceIdentity identity = IssueIdentity("monitor-5");
  const std::string other_device = controller_.AddUserWithToken("monitor-6", "device");
  v1::User user;
  const grpc::Status other = WhoAmI(Connection(identity, other_device), &user);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::UNAUTHENTICATED) << other.error_message();
  // Nor does a device certificate lend its connection to an admin's token.
  const grpc::Status admin = WhoAmI(Connection(identity, controller_.admin_token()), &user);
  EXPECT_EQ(admin.error_code(), grpc::StatusCode::UNAUTHENTICATED) << admin.error_message();

  const std::string own = [&] {
    v1::CreateTokenRequest request;
    request.set_user("monitor-5");
    grpc::ClientContext context;
    v1::CreateTokenResponse created;
    EXPECT_TRUE(admin_->CreateToken(&context, request, &created).ok());
    return created.token();
  }();
  const grpc::Status same = WhoAmI(Connection(identity, own), &user);
  EXPECT_TRUE(same.ok()) << same.error_message();

  const v1::Session session = CreateSession();
  DeviceClient::Options options =
      Device(DeviceClient::Transport::kTcp, session, "token-of-another", identity);
  options.token = other_device;
  grpc::Status refused;
  EXPECT_EQ(DeviceClient::Connect(options, &refused), nullptr);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED) << refused.error_message();
}

TEST_F(MutualTlsTest, IssueDeviceCertificateSignsOnlyForAdminsDeviceUsersAndRealRequests) {
  AddUser("monitor-7", v1::ROLE_DEVICE);
  AddUser("learner-1", v1::ROLE_LEARNER);
  const Key key = NewKey();
  const std::string request = SigningRequestPem(key.get(), "monitor-7");
  v1::DeviceCertificate issued;

  const std::string instructor = controller_.AddUserWithToken("instructor-1", "instructor");
  auto as_instructor = v1::AdminService::NewStub(controller_.ChannelWithToken(instructor));
  const grpc::Status not_admin = Issue(*as_instructor, "monitor-7", request, &issued);
  EXPECT_EQ(not_admin.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << not_admin.error_message();

  const grpc::Status learner = Issue(*admin_, "learner-1", request, &issued);
  EXPECT_EQ(learner.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << learner.error_message();
  EXPECT_EQ(learner.error_message().rfind("user_name:", 0), 0u) << learner.error_message();

  const grpc::Status unknown = Issue(*admin_, "nobody", request, &issued);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND) << unknown.error_message();

  for (const std::string& garbage : {std::string("not a request"), std::string(""),
                                     // A certificate is not a request.
                                     ReadText(CaFile())}) {
    const grpc::Status bad = Issue(*admin_, "monitor-7", garbage, &issued);
    EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.error_message();
    EXPECT_EQ(bad.error_message().rfind("certificate_signing_request_pem:", 0), 0u)
        << bad.error_message();
  }
  EXPECT_TRUE(issued.certificate_pem().empty()) << "nothing was signed";
  const grpc::Status good = Issue(*admin_, "monitor-7", request, &issued);
  EXPECT_TRUE(good.ok()) << good.error_message();
}

TEST_F(MutualTlsTest, TheCliIssuesACertificateThatWorks) {
  AddUser("manikin-1", v1::ROLE_DEVICE);
  const DeviceIdentity identity{temp_.path() / "manikin.crt", temp_.path() / "manikin.key"};
  const auto run = [&] {
    return RunCommand(std::string(PEDISIM_CTL_BIN) + " --controller " + GrpcAddress() +
                      " --ca-file " + CaFile().string() + " --token-file " +
                      controller_.admin_token_file().string() +
                      " device-cert issue manikin-1 --key-out " + identity.key_file.string() +
                      " --cert-out " + identity.certificate_file.string());
  };
  const auto [exit_code, output] = run();
  ASSERT_EQ(exit_code, 0) << output;
  EXPECT_NE(output.find("valid until"), std::string::npos) << output;
  struct stat key_stat {};
  ASSERT_EQ(stat(identity.key_file.c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777, 0600u);
  EXPECT_EQ(CommonNameOf(ReadText(identity.certificate_file)), "manikin-1");

  const v1::Session session = CreateSession();
  grpc::Status joined;
  std::unique_ptr<DeviceClient> device = DeviceClient::Connect(
      Device(DeviceClient::Transport::kTcp, session, "manikin", identity), &joined);
  ASSERT_NE(device, nullptr) << joined.error_message();

  // The device's key is never replaced by a second run.
  const std::string key = ReadText(identity.key_file);
  const auto [again_exit_code, again_output] = run();
  EXPECT_EQ(again_exit_code, 1) << again_output;
  EXPECT_NE(again_output.find("--key-out"), std::string::npos) << again_output;
  EXPECT_EQ(ReadText(identity.key_file), key);
}

TEST_F(MutualTlsTest, PedisimDeviceTakesItsCertificateFromFlagsOrTheEnvironment) {
  AddUser("monitor-10", v1::ROLE_DEVICE);
  AddUser("manikin-10", v1::ROLE_DEVICE);
  const DeviceIdentity monitor = IssueIdentity("monitor-10");
  const DeviceIdentity manikin = IssueIdentity("manikin-10");
  auto sessions = v1::SessionService::NewStub(controller_.channel());
  v1::CreateSessionRequest request;
  request.set_scenario_id("test-short");
  v1::Session created;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, request, &created).ok());
  }
  // Each follows the session to its end, so each runs on a thread of its own.
  std::future<CommandResult> over_tcp = std::async(std::launch::async, [&] {
    return RunCommand("PEDISIM_CA_FILE=" + CaFile().string() +
                      " PEDISIM_CERT_FILE=" + monitor.certificate_file.string() +
                      " PEDISIM_KEY_FILE=" + monitor.key_file.string() + " " + PEDISIM_DEVICE_BIN +
                      " --tcp " + DeviceAddress() + " --pairing-code " + created.pairing_code() +
                      " --role monitor");
  });
  // With an administrator's token in the environment (docs/SECURITY.md's
  // session exports one): the certificate on the command line is the
  // device's identity, and the token is not sent with it.
  std::future<CommandResult> over_grpc = std::async(std::launch::async, [&] {
    return RunCommand(
        "PEDISIM_TOKEN=" + controller_.admin_token() + " " + std::string(PEDISIM_DEVICE_BIN) +
        " --controller " + GrpcAddress() + " --ca-file " + CaFile().string() + " --cert-file " +
        manikin.certificate_file.string() + " --key-file " + manikin.key_file.string() +
        " --pairing-code " + created.pairing_code() + " --role manikin");
  });

  // The deadline only bounds a failure. No ASSERT until the session has
  // stopped: a device in a session that goes on would hold the test (and
  // its futures) forever.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  v1::Session session;
  v1::SessionRef ref;
  ref.set_session_id(created.id());
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    grpc::ClientContext context;
    if (!sessions->Get(&context, ref, &session).ok()) break;
  } while (session.devices_size() < 2 && std::chrono::steady_clock::now() < give_up);
  EXPECT_EQ(session.devices_size(), 2) << log();
  {
    // Ends each device's link with OK, so each exits 0.
    grpc::ClientContext context;
    v1::Session stopped;
    EXPECT_TRUE(sessions->Stop(&context, ref, &stopped).ok());
  }
  for (auto* device : {&over_tcp, &over_grpc}) {
    const auto [exit_code, output] = device->get();
    EXPECT_EQ(exit_code, 0) << output;
    EXPECT_NE(output.find("joined session " + created.id()), std::string::npos) << output;
  }
}

TEST_F(MutualTlsTest, WithAnAdministratorsCertificateOnlyADeviceCaTheyGiveIssues) {
  // The administrator's certificate and key: here, the ones this
  // controller made (its data folder, CA included, goes along so that
  // ControllerProcess's clients trust them).
  const std::filesystem::path data = temp_.path() / "data";
  std::filesystem::copy(controller_.data_dir(), data, std::filesystem::copy_options::recursive);
  const std::filesystem::path administrators = temp_.path() / "administrators";
  std::filesystem::create_directories(administrators);
  std::filesystem::copy(data / "tls" / "server.crt", administrators / "server.crt");
  std::filesystem::copy(data / "tls" / "server.key", administrators / "server.key");
  controller_.Terminate();
  const std::vector<std::string> administrators_tls = {
      "--tls-cert", (administrators / "server.crt").string(), "--tls-key",
      (administrators / "server.key").string()};

  v1::DeviceCertificate issued;
  const Key key = NewKey();
  const std::string request = SigningRequestPem(key.get(), "monitor-9");
  {
    ControllerProcess without_device_ca(PEDISIM_TEST_SCENARIOS_DIR,
                                        WithListen(host_, administrators_tls), data);
    auto admin = v1::AdminService::NewStub(without_device_ca.channel());
    v1::AddUserRequest add;
    add.mutable_user()->set_name("monitor-9");
    add.mutable_user()->set_role(v1::ROLE_DEVICE);
    grpc::ClientContext context;
    v1::User added;
    ASSERT_TRUE(admin->AddUser(&context, add, &added).ok());
    const grpc::Status refused = Issue(*admin, "monitor-9", request, &issued);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << refused.error_message();
    EXPECT_NE(refused.error_message().find("--device-ca-cert"), std::string::npos)
        << refused.error_message();
  }

  const Key device_ca_key = NewKey();
  const Certificate device_ca =
      Sign(device_ca_key.get(), "Hospital device CA", nullptr, device_ca_key.get(),
           {{NID_basic_constraints, "critical,CA:TRUE"},
            {NID_key_usage, "critical,keyCertSign"},
            {NID_subject_key_identifier, "hash"}});
  std::ofstream(administrators / "device-ca.crt") << CertificatePem(device_ca.get());
  std::ofstream(administrators / "device-ca.key") << KeyPem(device_ca_key.get());
  std::vector<std::string> with_device_ca = administrators_tls;
  with_device_ca.insert(with_device_ca.end(),
                        {"--device-ca-cert", (administrators / "device-ca.crt").string(),
                         "--device-ca-key", (administrators / "device-ca.key").string()});
  ControllerProcess restarted(PEDISIM_TEST_SCENARIOS_DIR, WithListen(host_, with_device_ca), data);
  auto admin = v1::AdminService::NewStub(restarted.channel());
  const grpc::Status status = Issue(*admin, "monitor-9", request, &issued);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(issued.ca_certificate_pem(), CertificatePem(device_ca.get()));
  const DeviceIdentity identity =
      WriteIdentity("monitor-9", issued.certificate_pem(), KeyPem(key.get()));
  client::ConnectionOptions connection = restarted.connection();
  connection.token.clear();
  connection.certificate_file = identity.certificate_file.string();
  connection.key_file = identity.key_file.string();
  auto as_device =
      v1::AdminService::NewStub(client::MakeControllerChannel(restarted.address(), connection));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::User user;
  const grpc::Status who = as_device->WhoAmI(&context, v1::WhoAmIRequest(), &user);
  ASSERT_TRUE(who.ok()) << who.error_message();
  EXPECT_EQ(user.name(), "monitor-9");
}

TEST_F(MutualTlsTest, RefusedCertificatesCountLikeWrongTokens) {
  AddUser("monitor-8", v1::ROLE_DEVICE);
  const DeviceIdentity identity = IssueIdentity("monitor-8");
  RemoveUser("monitor-8");
  v1::User user;
  // The default limit (--auth-failure-burst 10) blocks the host after ten
  // (one more may refill meanwhile on a slow machine).
  int refused = 0;
  grpc::Status status;
  for (int attempt = 0; attempt < 20; ++attempt) {
    status = WhoAmI(Connection(identity), &user);
    if (status.error_code() != grpc::StatusCode::UNAUTHENTICATED) break;
    ++refused;
  }
  EXPECT_GE(refused, 10);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
}

}  // namespace
}  // namespace pedisim::testing
