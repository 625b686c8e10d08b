import type { Kysely } from 'kysely';
import type { Database } from '../database.js';

export interface ChargeObservation { vehicleId: string; at: number; soc: number; powerKw: number | null; charging: boolean; pluggedIn: boolean }

/** Most observations kept per vehicle; older ones are dropped as new ones arrive. */
export const CHARGE_OBSERVATIONS_PER_VEHICLE = 2000;

/**
 * Charge observations of real vehicles (see the charge_observations migration). A second reading
 * with the same capture time is the same observation and is ignored.
 */
export class ChargeObservationsRepo {
  constructor(private readonly db: Kysely<Database>, private readonly perVehicle = CHARGE_OBSERVATIONS_PER_VEHICLE) {}

  async record(o: ChargeObservation): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('charge_observations').values({
        vehicle_id: o.vehicleId, at: o.at, soc: o.soc, power_kw: o.powerKw, charging: o.charging ? 1 : 0, plugged_in: o.pluggedIn ? 1 : 0,
      }).onConflict((oc) => oc.columns(['vehicle_id', 'at']).doNothing()).execute();
      const oldestKept = await tx.selectFrom('charge_observations').select('at').where('vehicle_id', '=', o.vehicleId)
        .orderBy('at', 'desc').offset(this.perVehicle - 1).limit(1).executeTakeFirst();
      if (oldestKept) await tx.deleteFrom('charge_observations').where('vehicle_id', '=', o.vehicleId).where('at', '<', Number(oldestKept.at)).execute();
    });
  }

  /** Observations of a vehicle, oldest first (at most the bound kept per vehicle). */
  async ofVehicle(vehicleId: string): Promise<ChargeObservation[]> {
    const rows = await this.db.selectFrom('charge_observations').selectAll().where('vehicle_id', '=', vehicleId).orderBy('at').execute();
    return rows.map((r) => ({
      vehicleId: r.vehicle_id, at: Number(r.at), soc: Number(r.soc), powerKw: r.power_kw === null ? null : Number(r.power_kw),
      charging: Number(r.charging) === 1, pluggedIn: Number(r.plugged_in) === 1,
    }));
  }
}
