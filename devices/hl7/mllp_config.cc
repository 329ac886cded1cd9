#include "devices/hl7/mllp_config.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

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

}  // namespace

MllpConfig ParseMllpConfig(const AdapterConfig& config) {
  RejectUnknownKeys(config, {"host", "port", "interval_s", "ack_timeout_s", "sending_facility",
                             "receiving_application", "receiving_facility", "processing_id"});
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
  return parsed;
}

}  // namespace pedisim::devices::hl7
