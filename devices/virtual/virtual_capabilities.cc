#include "devices/virtual/virtual_capabilities.h"

#include "core/vitals/vital_table.h"
#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/findings.pb.h"

namespace pedisim::devices {

v1::DeviceCapabilities MonitorCapabilities() {
  v1::DeviceCapabilities capabilities;
  for (const vitals::VitalField& field : vitals::VitalFields()) {
    capabilities.add_renders_vitals(std::string(field.name));
  }
  capabilities.add_renders_vitals("rhythm");
  for (v1::WaveformKind kind : {v1::WAVEFORM_KIND_ECG_II, v1::WAVEFORM_KIND_PLETH,
                                v1::WAVEFORM_KIND_CAPNOGRAM, v1::WAVEFORM_KIND_RESPIRATION}) {
    capabilities.add_renders_waveforms(kind);
  }
  return capabilities;
}

v1::DeviceCapabilities ManikinCapabilities() {
  v1::DeviceCapabilities capabilities;
  const google::protobuf::EnumDescriptor* kinds = v1::ActionKind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    if (kinds->value(i)->number() != v1::ACTION_KIND_UNSPECIFIED) {
      capabilities.add_senses_actions(kinds->value(i)->name());
    }
  }
  const google::protobuf::Descriptor* findings = v1::Findings::descriptor();
  for (int i = 0; i < findings->field_count(); ++i) {
    capabilities.add_renders_findings(findings->field(i)->name());
  }
  for (const char* measure :
       {"compression_depth_mm", "compression_rate_per_min", "compression_recoil",
        "ventilation_volume_ml", "defibrillation_energy_j", "drug_dose_mg", "drug_route",
        "pulse_check"}) {
    capabilities.add_senses_measures(measure);
  }
  return capabilities;
}

}  // namespace pedisim::devices
