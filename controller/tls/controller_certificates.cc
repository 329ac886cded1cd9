#include "controller/tls/controller_certificates.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <stdexcept>

#include "client/tls_fingerprint.h"

namespace pedisim::tls {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

constexpr long kDaySeconds = 24 * 60 * 60;

[[noreturn]] void Fail(const std::string& what) {
  throw std::runtime_error("TLS certificate: " + what);
}

Key NewKey() {
  Key key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) Fail("cannot make an EC P-256 key");
  return key;
}

void AddExtension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension == nullptr) Fail("bad extension " + value);
  X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
}

// A certificate for `key` named `common_name`, signed by `issuer_key`
// (itself when `issuer` is null: the CA), valid from `backdate_seconds` ago.
Certificate Issue(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
                  long backdate_seconds, long valid_days,
                  const std::vector<std::pair<int, std::string>>& extensions) {
  Certificate certificate(X509_new(), X509_free);
  X509_set_version(certificate.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // positive
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate.get()));
  BN_free(number);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -backdate_seconds);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), valid_days * kDaySeconds);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("PediSim"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(certificate.get(), issuer ? X509_get_subject_name(issuer)
                                                 : X509_get_subject_name(certificate.get()));
  X509_set_pubkey(certificate.get(), key);
  X509* signer = issuer ? issuer : certificate.get();
  for (const auto& [nid, value] : extensions) AddExtension(certificate.get(), signer, nid, value);
  if (X509_sign(certificate.get(), issuer_key, EVP_sha256()) == 0) Fail("cannot sign");
  return certificate;
}

std::string Pem(X509* certificate) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), certificate);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string Pem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// Written beside the target and renamed, with `mode` from the start.
void WriteFile(const std::filesystem::path& path, const std::string& text, mode_t mode) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) Fail("cannot create " + temporary.string());
  ::fchmod(fd, mode);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written) Fail("cannot write " + temporary.string());
  std::filesystem::rename(temporary, path);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

Certificate ReadCertificate(const std::filesystem::path& path) {
  const std::string pem = ReadFile(path);
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return Certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
}

Key ReadKey(const std::filesystem::path& path) {
  const std::string pem = ReadFile(path);
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return Key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
}

bool IsIpAddress(const std::string& host) {
  in6_addr ignored{};
  return inet_pton(AF_INET, host.c_str(), &ignored) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &ignored) == 1;
}

// Whether `certificate` names every host and is good for 30 more days.
bool Covers(X509* certificate, const std::set<std::string>& hosts) {
  time_t in_30_days = time(nullptr) + 30 * kDaySeconds;
  if (X509_cmp_time(X509_get0_notAfter(certificate), &in_30_days) <= 0) return false;
  for (const std::string& host : hosts) {
    const bool named = IsIpAddress(host) ? X509_check_ip_asc(certificate, host.c_str(), 0) == 1
                                         : X509_check_host(certificate, host.c_str(), host.size(),
                                                           0, nullptr) == 1;
    if (!named) return false;
  }
  return true;
}

}  // namespace

ServerCertificate EnsureControllerCertificate(const std::filesystem::path& dir,
                                              const std::vector<std::string>& hosts) {
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
  const ServerCertificate files{dir / "server.crt", dir / "server.key", dir / "ca.crt",
                                dir / "ca.key"};
  const std::filesystem::path& ca_key_file = files.ca_key;

  Key ca_key(nullptr, EVP_PKEY_free);
  Certificate ca(nullptr, X509_free);
  if (std::filesystem::exists(files.ca) && std::filesystem::exists(ca_key_file)) {
    ca = ReadCertificate(files.ca);
    ca_key = ReadKey(ca_key_file);
    if (!ca || !ca_key) Fail("cannot read " + files.ca.string() + " or its key");
  } else {
    ca_key = NewKey();
    // Backdated a day for clients whose clock is behind the controller's.
    ca = Issue(ca_key.get(), "PediSim controller CA", nullptr, ca_key.get(), kDaySeconds, 3650,
               {{NID_basic_constraints, "critical,CA:TRUE"},
                {NID_key_usage, "critical,keyCertSign,cRLSign"},
                {NID_subject_key_identifier, "hash"}});
    WriteFile(ca_key_file, Pem(ca_key.get()), 0600);
    WriteFile(files.ca, Pem(ca.get()), 0644);
  }

  std::set<std::string> names = {"localhost", "127.0.0.1", "::1"};
  for (const std::string& host : hosts) {
    if (!host.empty() && host != "0.0.0.0" && host != "::") names.insert(host);
  }
  if (std::filesystem::exists(files.certificate_chain) &&
      std::filesystem::exists(files.private_key)) {
    Certificate existing = ReadCertificate(files.certificate_chain);
    if (existing && X509_verify(existing.get(), ca_key.get()) == 1 &&
        Covers(existing.get(), names)) {
      return files;
    }
  }
  std::string alternative_names;
  for (const std::string& name : names) {
    if (!alternative_names.empty()) alternative_names.append(",");
    alternative_names.append(IsIpAddress(name) ? "IP:" : "DNS:");
    alternative_names.append(name);
  }
  Key key = NewKey();
  Certificate server =
      Issue(key.get(), "PediSim controller", ca.get(), ca_key.get(), kDaySeconds, 730,
            {{NID_basic_constraints, "critical,CA:FALSE"},
             {NID_key_usage, "critical,digitalSignature"},
             {NID_ext_key_usage, "serverAuth"},
             {NID_subject_alt_name, alternative_names},
             {NID_authority_key_identifier, "keyid"}});
  WriteFile(files.private_key, Pem(key.get()), 0600);
  WriteFile(files.certificate_chain, Pem(server.get()) + Pem(ca.get()), 0644);
  return files;
}

std::vector<std::string> InterfaceAddresses() {
  std::vector<std::string> addresses;
  ifaddrs* interfaces = nullptr;
  if (getifaddrs(&interfaces) != 0) return addresses;
  for (ifaddrs* entry = interfaces; entry != nullptr; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (entry->ifa_addr->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(entry->ifa_addr)->sin_addr, text,
                sizeof text);
    } else if (entry->ifa_addr->sa_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(entry->ifa_addr)->sin6_addr, text,
                sizeof text);
    } else {
      continue;
    }
    if (std::find(addresses.begin(), addresses.end(), text) == addresses.end()) {
      addresses.emplace_back(text);
    }
  }
  freeifaddrs(interfaces);
  return addresses;
}

namespace {

using SigningRequest = std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)>;

constexpr long kDeviceCertificateDays = 365;

grpc::Status BadRequest(const std::string& why) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      "certificate_signing_request_pem: " + why);
}

// Keys that TLS 1.2 and 1.3 accept for client authentication, at a strength
// that is not already breakable.
bool StrongEnough(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC:
      return EVP_PKEY_get_bits(key) >= 256;
    case EVP_PKEY_RSA:
      return EVP_PKEY_get_bits(key) >= 2048;
    case EVP_PKEY_ED25519:
      return true;
    default:
      return false;
  }
}

}  // namespace

DeviceCertificateAuthority::DeviceCertificateAuthority(const std::filesystem::path& certificate,
                                                       const std::filesystem::path& private_key)
    : certificate_file_(certificate), certificate_pem_(ReadFile(certificate)) {
  Certificate ca = ReadCertificate(certificate);
  Key key = ReadKey(private_key);
  if (!ca) Fail("cannot read a CA certificate from " + certificate.string());
  if (!key) Fail("cannot read a private key from " + private_key.string());
  if (X509_check_private_key(ca.get(), key.get()) != 1) {
    Fail(private_key.string() + " is not the key of " + certificate.string());
  }
  certificate_ = ca.release();
  private_key_ = key.release();
}

DeviceCertificateAuthority::~DeviceCertificateAuthority() {
  X509_free(certificate_);
  EVP_PKEY_free(private_key_);
}

grpc::Status DeviceCertificateAuthority::Issue(const std::string& user_name,
                                               std::string_view request_pem,
                                               v1::DeviceCertificate* issued) const {
  if (request_pem.empty()) return BadRequest("required (PEM, made with the device's key)");
  Bio bio(BIO_new_mem_buf(request_pem.data(), static_cast<int>(request_pem.size())), BIO_free);
  SigningRequest request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr),
                         X509_REQ_free);
  if (!request) return BadRequest("not a PEM certificate signing request (PKCS#10)");
  EVP_PKEY* key = X509_REQ_get0_pubkey(request.get());
  if (key == nullptr) return BadRequest("has no public key");
  // The request's signature proves the device holds the key it asks for.
  if (X509_REQ_verify(request.get(), key) != 1) {
    return BadRequest("its signature does not match its key");
  }
  if (!StrongEnough(key)) {
    return BadRequest("the key must be EC (P-256 or larger), Ed25519 or RSA of 2048 bits or more");
  }
  std::lock_guard lock(mu_);
  // Not backdated: only the controller, with its own clock, checks it, and
  // its start is when it was issued (a user re-created later under the same
  // name is not the one it was issued to).
  const Certificate certificate = pedisim::tls::Issue(
      key, user_name, certificate_, private_key_, /*backdate_seconds=*/0, kDeviceCertificateDays,
      {{NID_basic_constraints, "critical,CA:FALSE"},
       {NID_key_usage, "critical,digitalSignature"},
       {NID_ext_key_usage, "clientAuth"},
       {NID_authority_key_identifier, "keyid"}});
  issued->set_certificate_pem(Pem(certificate.get()));
  issued->set_ca_certificate_pem(certificate_pem_);
  time_t not_after = 0;
  tm when{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate.get()), &when) == 1) not_after = timegm(&when);
  issued->set_not_after_unix_s(static_cast<int64_t>(not_after));
  issued->set_fingerprint_sha256(client::CertificateFingerprint(issued->certificate_pem()));
  return grpc::Status::OK;
}

std::optional<ClientCertificate> ClientCertificateOf(X509* certificate) {
  if (certificate == nullptr) return std::nullopt;
  X509_NAME* subject = X509_get_subject_name(certificate);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return std::nullopt;
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return std::nullopt;
  ClientCertificate identity;
  identity.common_name.assign(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
  OPENSSL_free(utf8);
  tm issued{};
  if (ASN1_TIME_to_tm(X509_get0_notBefore(certificate), &issued) == 1) {
    identity.issued_at_unix_s = static_cast<int64_t>(timegm(&issued));
  }
  identity.fingerprint_sha256 = client::CertificateFingerprint(Pem(certificate));
  return identity;
}

std::optional<ClientCertificate> ClientCertificateOfPem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  const Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  return ClientCertificateOf(certificate.get());
}

}  // namespace pedisim::tls
