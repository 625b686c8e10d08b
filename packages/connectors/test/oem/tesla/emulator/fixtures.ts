/**
 * The data one emulated car starts with: the sections and field names of Tesla's `vehicle_data`
 * (see SOURCES.md: the Home Assistant `tesla_fleet` fixture and Tesla's endpoint docs), with this
 * emulator's own values. Units as Tesla sends them: miles, bar, °C, epoch ms (`timestamp`) and
 * epoch s (`gps_as_of`, `tpms_last_seen_pressure_time_*`).
 */
export interface VehicleSections {
  charge_state: Record<string, unknown>;
  climate_state: Record<string, unknown>;
  drive_state: Record<string, unknown>;
  gui_settings: Record<string, unknown>;
  vehicle_config: Record<string, unknown>;
  vehicle_state: Record<string, unknown>;
}

/** Location fields of drive_state, returned only for `location_data` with the vehicle_location scope. */
export const LOCATION_FIELDS = ['latitude', 'longitude', 'heading', 'gps_as_of', 'native_latitude', 'native_longitude', 'native_location_supported', 'native_type'] as const;

export function vehicleSections(nowMs: number, o: { carType?: string; rhd?: boolean } = {}): VehicleSections {
  const s = Math.floor(nowMs / 1000);
  return {
    charge_state: {
      battery_heater_on: false, battery_level: 64, battery_range: 183.42, charge_amps: 16, charge_current_request: 16,
      charge_current_request_max: 32, charge_enable_request: true, charge_energy_added: 0, charge_limit_soc: 80,
      charge_limit_soc_max: 100, charge_limit_soc_min: 50, charge_limit_soc_std: 80, charge_miles_added_ideal: 0,
      charge_miles_added_rated: 0, charge_port_cold_weather_mode: false, charge_port_color: 'Off', charge_port_door_open: false,
      charge_port_latch: 'Engaged', charge_rate: 0, charger_actual_current: 0, charger_phases: null, charger_pilot_current: 32,
      charger_power: 0, charger_voltage: 0, charging_state: 'Disconnected', conn_charge_cable: '<invalid>', est_battery_range: 170.1,
      fast_charger_brand: '<invalid>', fast_charger_present: false, fast_charger_type: '<invalid>', ideal_battery_range: 190.3,
      max_range_charge_counter: 0, minutes_to_full_charge: 0, not_enough_power_to_heat: null, off_peak_charging_enabled: false,
      scheduled_charging_mode: 'Off', scheduled_charging_pending: false, scheduled_charging_start_time: null,
      time_to_full_charge: 0, timestamp: nowMs, trip_charging: false, usable_battery_level: 63, user_charge_enable_request: null,
    },
    climate_state: {
      battery_heater: false, defrost_mode: 0, driver_temp_setting: 21, fan_status: 0, inside_temp: 18.4, is_auto_conditioning_on: false,
      is_climate_on: false, is_front_defroster_on: false, is_preconditioning: false, is_rear_defroster_on: false, max_avail_temp: 28,
      min_avail_temp: 15, outside_temp: 12.5, passenger_temp_setting: 21, seat_heater_left: 0, seat_heater_right: 0,
      steering_wheel_heater: false, timestamp: nowMs,
    },
    drive_state: {
      active_route_latitude: null, active_route_longitude: null, active_route_destination: null, gps_as_of: s - 30, heading: 92,
      latitude: 52.520008, longitude: 13.404954, native_latitude: 52.520008, native_location_supported: 1, native_longitude: 13.404954,
      native_type: 'wgs', power: 0, shift_state: null, speed: null, timestamp: nowMs,
    },
    gui_settings: {
      gui_24_hour_time: true, gui_charge_rate_units: 'kW', gui_distance_units: 'km/hr', gui_range_display: 'Rated',
      gui_temperature_units: 'C', gui_tirepressure_units: 'Bar', show_range_units: false, timestamp: nowMs,
    },
    vehicle_config: {
      can_accept_navigation_requests: true, can_actuate_trunks: true, car_special_type: 'base', car_type: o.carType ?? 'model3',
      charge_port_type: 'CCS', eu_vehicle: true, exterior_color: 'MidnightSilver', motorized_charge_port: true, rhd: o.rhd ?? false,
      sun_roof_installed: null, third_row_seats: 'None', timestamp: nowMs, trim_badging: '74d', wheel_type: 'Pinwheel18',
    },
    vehicle_state: {
      api_version: 71, car_version: '2024.14.30 aa1bb2cc3dd4', center_display_state: 0, df: 0, dr: 0, fd_window: 0, fp_window: 0,
      ft: 0, is_user_present: false, locked: true, odometer: 15230.418, pf: 0, pr: 0, rd_window: 0, remote_start: false,
      rp_window: 0, rt: 0, sentry_mode: false, sentry_mode_available: true, timestamp: nowMs,
      tpms_last_seen_pressure_time_fl: s - 600, tpms_last_seen_pressure_time_fr: s - 590, tpms_last_seen_pressure_time_rl: s - 610,
      tpms_last_seen_pressure_time_rr: s - 605, tpms_pressure_fl: 2.9, tpms_pressure_fr: 2.925, tpms_pressure_rl: 2.875, tpms_pressure_rr: 2.9,
      valet_mode: false, vehicle_name: 'Emulated',
    },
  };
}
