import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature, mesh } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { sha256 } from '@opencar/core';

/**
 * The map's files, served by opencar itself (no CDN, no tile server): Leaflet's script and stylesheet
 * from its npm package, and the world's land and borders from world-atlas (Natural Earth 1:110m,
 * public domain) turned into GeoJSON once. Read on first use, then kept in memory.
 */
const require = createRequire(import.meta.url);
const read = (spec: string) => readFileSync(require.resolve(spec), 'utf8');

export interface MapFiles { leafletJs: string; leafletCss: string; world: string; version: string }

let files: MapFiles | undefined;

export function mapFiles(): MapFiles {
  if (files) return files;
  const land = JSON.parse(read('world-atlas/land-110m.json')) as Topology;
  const countries = JSON.parse(read('world-atlas/countries-110m.json')) as Topology;
  const world = JSON.stringify({
    land: feature(land, land.objects.land!),
    // Borders between countries only: coasts are the land's own edge.
    borders: mesh(countries, countries.objects.countries! as Parameters<typeof mesh>[1], (a, b) => a !== b),
  });
  const leafletJs = read('leaflet/dist/leaflet.js');
  const leafletCss = read('leaflet/dist/leaflet.css');
  files = { leafletJs, leafletCss, world, version: sha256(leafletJs + leafletCss + world).slice(0, 10) };
  return files;
}
