/**
 * The simulator console's maps (progressive enhancement: without it the page shows an SVG plot and
 * the coordinate fields). Leaflet draws each vehicle with its trail, a scale bar and zoom; the world's
 * land and borders come from world-atlas (served by opencar, no tile server); street tiles only when
 * the operator configured a tile URL. A click fills the coordinates of the vehicle's position form.
 */
export const SIM_MAP_JS = `(function(){
var first=document.querySelector('.sim-map');if(!window.L||!first)return;
var maps={};var world=null;var waiting=[];
fetch(first.getAttribute('data-world'),{credentials:'same-origin'}).then(function(r){return r.ok?r.json():null;}).then(function(w){world=w;waiting.forEach(addWorld);waiting=[];}).catch(function(){});
function addWorld(m){if(!world){waiting.push(m);return;}
L.geoJSON(world.land,{interactive:false,style:{stroke:false,fillColor:'#f3efe4',fillOpacity:1}}).addTo(m.map).bringToBack();
L.geoJSON(world.borders,{interactive:false,style:{color:'#8a9aa8',weight:1,fill:false}}).addTo(m.map);}
function pos(id){var p=document.querySelector('.sim-pos[data-for="'+id+'"]');if(!p)return null;
return {lat:Number(p.getAttribute('data-lat')),lon:Number(p.getAttribute('data-lon')),trail:JSON.parse(p.getAttribute('data-trail')||'[]'),dest:p.getAttribute('data-dest')?JSON.parse(p.getAttribute('data-dest')):null};}
function init(el){var id=el.id;var p=pos(id);if(!p)return;
while(el.firstChild)el.removeChild(el.firstChild);el.classList.add('leaflet-on');
var tiles=el.getAttribute('data-tiles');
var map=L.map(el,{zoomControl:true,attributionControl:!!tiles,worldCopyJump:true}).setView([p.lat,p.lon],13);
if(tiles)L.tileLayer(tiles,{maxZoom:19,attribution:el.getAttribute('data-attribution')||''}).addTo(map);
L.control.scale({imperial:false}).addTo(map);
var m={map:map,trail:L.polyline(p.trail,{color:'#3d5a73',weight:3,interactive:false}).addTo(map),
dest:L.circleMarker([0,0],{radius:6,color:'#102a43',weight:2,fillColor:'#ffd166',fillOpacity:1,interactive:false}),
pick:L.circleMarker([0,0],{radius:6,color:'#0b57d0',weight:2,fillColor:'#fff',fillOpacity:1,interactive:false}),
car:L.circleMarker([p.lat,p.lon],{radius:9,color:'#fff',weight:3,fillColor:'#b00020',fillOpacity:1}).addTo(map)};
m.car.bindTooltip(el.getAttribute('data-label')||'');
maps[id]=m;update(id,p);addWorld(m);
map.on('click',function(e){var f=document.querySelector('form[data-map-target="'+id+'"]');if(!f)return;
var ll=e.latlng.wrap();f.elements.latitude.value=ll.lat.toFixed(6);f.elements.longitude.value=ll.lng.toFixed(6);m.pick.setLatLng(ll).addTo(map);});}
function update(id,p){var m=maps[id];if(!m||!p)return;m.car.setLatLng([p.lat,p.lon]);m.trail.setLatLngs(p.trail);
if(p.dest)m.dest.setLatLng([p.dest[0],p.dest[1]]).addTo(m.map);else m.dest.remove();}
document.querySelectorAll('.sim-map').forEach(init);
new MutationObserver(function(){Object.keys(maps).forEach(function(id){update(id,pos(id));});}).observe(document.body,{childList:true,subtree:true});
})();`;
