#include "device_cert_commands.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "client/console/output.h"
#include "controller_client.h"

namespace pedisim::cli {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using SigningRequest = std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

struct IssueOptions {
  std::string user_name;
  std::string key_out;
  std::string cert_out;
};

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

// The device's key pair and a request for a certificate of its public half,
// signed with it. The controller sets the subject itself; the name in the
// request is a courtesy it ignores.
struct KeyAndRequest {
  std::string private_key_pem;
  std::string request_pem;
};
std::optional<KeyAndRequest> MakeKeyAndRequest(const std::string& user_name) {
  Key key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  SigningRequest request(X509_REQ_new(), X509_REQ_free);
  if (!key || !request) return std::nullopt;
  X509_NAME* name = X509_REQ_get_subject_name(request.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(user_name.c_str()), -1, -1, 0);
  if (X509_REQ_set_pubkey(request.get(), key.get()) != 1 ||
      X509_REQ_sign(request.get(), key.get(), EVP_sha256()) == 0) {
    return std::nullopt;
  }
  Bio key_bio(BIO_new(BIO_s_mem()), BIO_free);
  Bio request_bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1 ||
      PEM_write_bio_X509_REQ(request_bio.get(), request.get()) != 1) {
    return std::nullopt;
  }
  return KeyAndRequest{BioText(key_bio.get()), BioText(request_bio.get())};
}

// Written beside the target with `mode` from the start, so the key is never
// readable by others, not even for a moment. The temporary file must be new
// (no planted file or symlink is followed) and, with `replace` false, so
// must the target: link() fails rather than replace a key that appeared
// meanwhile.
bool WriteFileWithMode(const std::string& path, const std::string& text, mode_t mode,
                       bool replace) {
  const std::string temporary = path + ".tmp";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return false;
  const bool written = ::fchmod(fd, mode) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = ::close(fd) == 0;
  bool placed = false;
  if (written && closed) {
    if (replace) {
      placed = ::rename(temporary.c_str(), path.c_str()) == 0;
    } else {
      placed = ::link(temporary.c_str(), path.c_str()) == 0;
    }
  }
  if (!(replace && placed)) ::unlink(temporary.c_str());
  return placed;
}

std::string UtcTime(int64_t unix_s) {
  const time_t when = static_cast<time_t>(unix_s);
  tm utc{};
  gmtime_r(&when, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

int RunIssue(const GlobalOptions& global, const IssueOptions& options) {
  // A device's existing key is its identity: never replaced by mistake.
  if (std::filesystem::exists(options.key_out)) {
    console::PrintError("--key-out: " + options.key_out +
                        " exists; remove it first to give the device a new key");
    return console::kExitError;
  }
  const std::optional<KeyAndRequest> made = MakeKeyAndRequest(options.user_name);
  if (!made) {
    console::PrintError("cannot make an EC P-256 key and certificate signing request with OpenSSL");
    return console::kExitError;
  }
  v1::IssueDeviceCertificateRequest request;
  request.set_user_name(options.user_name);
  request.set_certificate_signing_request_pem(made->request_pem);
  ControllerClient client(global);
  v1::DeviceCertificate issued;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.admin().IssueDeviceCertificate(&context, request, &issued);
  });
  if (!status.ok()) return client.Fail(status);
  if (!WriteFileWithMode(options.key_out, made->private_key_pem, 0600, /*replace=*/false)) {
    console::PrintError("--key-out: cannot write " + options.key_out);
    return console::kExitError;
  }
  if (!WriteFileWithMode(options.cert_out, issued.certificate_pem(), 0644, /*replace=*/true)) {
    console::PrintError("--cert-out: cannot write " + options.cert_out);
    return console::kExitError;
  }
  return client.Respond<v1::DeviceCertificate>(
      status, issued, [&](const v1::DeviceCertificate& certificate) {
        std::cout << "certificate for device " << options.user_name << " in " << options.cert_out
                  << ", its key in " << options.key_out << " (mode 0600)\n"
                  << "SHA-256 " << certificate.fingerprint_sha256() << ", valid until "
                  << UtcTime(certificate.not_after_unix_s()) << "\n";
      });
}

}  // namespace

void AddDeviceCertCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected) {
  CLI::App* device_cert = app.add_subcommand(
      "device-cert", "Client certificates that authenticate devices without a token (admins only)");
  device_cert->require_subcommand(1);

  auto options = std::make_shared<IssueOptions>();
  CLI::App* issue = device_cert->add_subcommand(
      "issue",
      "Make a key here and have the controller's CA certify it for a device user; the key never "
      "leaves this machine");
  issue->add_option("NAME", options->user_name, "A user with role device (user add --role device)")
      ->required();
  issue->add_option("--key-out", options->key_out, "Where to write the new private key (mode 0600)")
      ->type_name("FILE")
      ->required();
  issue->add_option("--cert-out", options->cert_out, "Where to write the certificate (PEM)")
      ->type_name("FILE")
      ->required();
  issue->callback([&, options] { selected = [&, options] { return RunIssue(global, *options); }; });
}

}  // namespace pedisim::cli
