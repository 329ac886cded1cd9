#include "devices/hl7/mllp_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <iterator>
#include <vector>

#include "devices/registry.h"

namespace pedisim::devices::hl7 {

namespace {

const std::string* Find(const AdapterConfig& config, const std::string& key) {
  const auto it = config.find(key);
  return it == config.end() ? nullptr : &it->second;
}

// A number of seconds within [min_s, max_s]: a slower rate than a monitor's
// is pointless, and one too fast would flood the receiver.
std::chrono::milliseconds Seconds(const AdapterConfig& config, const std::string& key,
                                  double fallback_s, double min_s, double max_s) {
  const std::string* text = Find(config, key);
  if (text == nullptr) return std::chrono::milliseconds(std::lround(fallback_s * 1000));
  double value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || !std::isfinite(value)) {
    throw AdapterConfigError(fmt::format("{}: '{}' is not a number of seconds", key, *text));
  }
  if (value < min_s || value > max_s) {
    throw AdapterConfigError(
        fmt::format("{}: {:g} s is out of range ({:g} to {:g} s)", key, value, min_s, max_s));
  }
  return std::chrono::milliseconds(std::lround(value * 1000));
}

// An identifier that must stay one HL7 component: no delimiters, no control
// characters, not empty.
std::string Token(const AdapterConfig& config, const std::string& key, std::string fallback,
                  const char* what) {
  const std::string* text = Find(config, key);
  if (text == nullptr) return fallback;
  const bool clean = !text->empty() && std::none_of(text->begin(), text->end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 ||
           std::string_view("|^~\\&").find(c) != std::string_view::npos;
  });
  if (!clean) {
    throw AdapterConfigError(
        fmt::format("{}: '{}' must be {} without HL7 delimiters (| ^ ~ \\ &)", key, *text, what));
  }
  return *text;
}

// A locally administered EUI-64 (bit 1 of the first octet set, bit 0
// clear), FNV-1a of "host:port": stable for one receiver, never a vendor's.
std::string DefaultEui64(const std::string& host, uint16_t port) {
  uint64_t hash = 14695981039346656037ull;
  for (const char c : fmt::format("{}:{}", host, port)) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  hash = (hash & ~(uint64_t{0x01} << 56)) | (uint64_t{0x02} << 56);
  return fmt::format("{:016X}", hash);
}

}  // namespace

std::optional<std::string> ParseEui64(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  std::string upper;
  for (const char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return upper;
}

MllpConfig ParseMllpConfig(const AdapterConfig& config) {
  RejectUnknownKeys(config,
                    {"host", "port", "interval_s", "ack_timeout_s", "sending_facility",
                     "receiving_application", "receiving_facility", "processing_id", "mrn_prefix",
                     "name_marker", "patient_class", "location", "device_id"});
  MllpConfig parsed;
  const std::string* host = Find(config, "host");
  // No default: quietly sending patient data to a guessed address is worse
  // than refusing to start.
  if (host == nullptr || host->empty()) {
    throw AdapterConfigError("host: required (the receiver's name or address)");
  }
  parsed.host = *host;

  const std::string* port = Find(config, "port");
  if (port == nullptr) throw AdapterConfigError("port: required (the receiver's MLLP port)");
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port->data(), port->data() + port->size(), value);
  if (error != std::errc() || end != port->data() + port->size() || value < 1 || value > 65535) {
    throw AdapterConfigError(fmt::format("port: '{}' is not a TCP port (1 to 65535)", *port));
  }
  parsed.port = static_cast<uint16_t>(value);

  parsed.interval = Seconds(config, "interval_s", 5, 0.2, 3600);
  parsed.ack_timeout = Seconds(config, "ack_timeout_s", 10, 0.1, 300);

  if (const std::string* v = Find(config, "sending_facility")) parsed.header.sending_facility = *v;
  if (const std::string* v = Find(config, "receiving_application")) {
    parsed.header.receiving_application = *v;
  }
  if (const std::string* v = Find(config, "receiving_facility")) {
    parsed.header.receiving_facility = *v;
  }
  if (const std::string* v = Find(config, "processing_id")) {
    // HL7 table 0103: production, training, debugging.
    if (*v != "P" && *v != "T" && *v != "D") {
      throw AdapterConfigError(fmt::format("processing_id: '{}' is not P, T or D", *v));
    }
    parsed.header.processing_id = *v;
  }

  PatientMarking& marking = parsed.marking;
  marking.mrn_prefix = Token(config, "mrn_prefix", marking.mrn_prefix, "a non-empty prefix");
  marking.name_marker = Token(config, "name_marker", marking.name_marker, "a non-empty name");
  if (const std::string* v = Find(config, "patient_class")) {
    // HL7 table 0004: emergency, inpatient, outpatient, preadmit, recurring
    // patient, obstetrics, commercial account, not applicable, unknown.
    static constexpr std::string_view kClasses[] = {"E", "I", "O", "P", "R", "B", "C", "N", "U"};
    if (std::find(std::begin(kClasses), std::end(kClasses), *v) == std::end(kClasses)) {
      throw AdapterConfigError(fmt::format(
          "patient_class: '{}' is not a patient class of HL7 table 0004 (E, I, O, P, R, B, C, "
          "N or U)",
          *v));
    }
    marking.patient_class = *v;
  }
  if (const std::string* v = Find(config, "location")) {
    // point of care^room^bed, as PV1-3 (PL) writes it.
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t end; (end = v->find('^', start)) != std::string::npos; start = end + 1) {
      parts.push_back(v->substr(start, end - start));
    }
    parts.push_back(v->substr(start));
    const bool clean = std::none_of(v->begin(), v->end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 ||
             std::string_view("|~\\&").find(c) != std::string_view::npos;
    });
    if (parts.size() > 3 || !clean) {
      throw AdapterConfigError(
          fmt::format("location: '{}' is not point of care^room^bed (at most three parts "
                      "separated by ^, without | ~ \\ &)",
                      *v));
    }
    parts.resize(3);
    marking.point_of_care = parts[0];
    marking.room = parts[1];
    marking.bed = parts[2];
  }
  if (const std::string* v = Find(config, "device_id")) {
    const std::optional<std::string> eui64 = ParseEui64(*v);
    if (!eui64) {
      throw AdapterConfigError(fmt::format(
          "device_id: '{}' is not an EUI-64 (16 hex digits, such as 0123456789ABCDEF)", *v));
    }
    marking.device_eui64 = *eui64;
  } else {
    marking.device_eui64 = DefaultEui64(parsed.host, parsed.port);
  }
  return parsed;
}

}  // namespace pedisim::devices::hl7
