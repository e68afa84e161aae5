// Business files with the traps of the restaurant-guide and childcare-list symptoms of issue 16, and
// the truth (`entity`). Not the measured sets themselves (those stay with the CEO): shapes like them.
//   restaurants: two guides listing ~750 places, ~120 in both; name, address, city, US phone
//     "310/246-1501" in one guide and "310-246-1501" in the other, no country. Traps: several
//     restaurants in one hotel or mall (same address, different names, different phones), chains (one
//     name, many addresses and phones), generic names ("Cafe", "Grill").
//   childcare: ~3,300 sites, business names, addresses, 7-digit phones without area code (some with
//     it), many empty e-mails and a few dates typed in the e-mail column; 2–3 records for ~25 % of
//     sites; several programmes at one address (a church, a school), chains.
import { rng } from '../rng.js';

const STREETS = ['Main', 'Oak', 'Pine', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Sunset', 'Wilshire', 'Broadway', 'Madison', 'Lexington', 'Park', 'Olympic', 'Santa Monica', 'La Cienega', 'Melrose', 'Pico', 'Spring', 'Market', 'Mission', 'Valencia', 'Union', 'Columbus', 'Peachtree', 'Ponce de Leon', 'Highland', 'Vine'];
const STYPE = [['Street', ['St.', 'St']], ['Avenue', ['Ave.', 'Ave']], ['Boulevard', ['Blvd.', 'Blvd']], ['Road', ['Rd.', 'Rd']], ['Drive', ['Dr.', 'Dr']], ['Place', ['Pl.']]];
const CITIES = [['Los Angeles', ['LA', 'Los Angeles'], '310'], ['New York', ['New York City', 'NYC'], '212'], ['San Francisco', ['SF', 'San Francisco'], '415'], ['Atlanta', ['Atlanta'], '404'], ['Las Vegas', ['Las Vegas'], '702'], ['Hollywood', ['Hollywood'], '323'], ['Seattle', ['Seattle'], '206']];
const WORDS = ['Blue', 'Golden', 'Red', 'Silver', 'Olive', 'Little', 'Grand', 'Royal', 'Green', 'Happy', 'Lucky', 'Jade', 'Harbor', 'Sunny', 'Rose', 'Iron', 'Velvet', 'Copper', 'Bamboo', 'Coral', 'Maple', 'Stone', 'River', 'Garden', 'Palm', 'Moon', 'Star', 'Lotus', 'Ivy', 'Cedar'];
const PEOPLE = ['Arnie', 'Morton', 'Chez', 'Mario', 'Luigi', 'Antoine', 'Spago', 'Wolfgang', 'Patina', 'Campanile', 'Valentino', 'Michael', 'Matsuhisa', 'Chinois', 'Citrus', 'Rex', 'Bernardin', 'Daniel', 'Jean', 'Georges', 'Gotham', 'Union', 'Aureole', 'Felidia', 'Lutece', 'Bouley', 'Nobu', 'Chanterelle', 'Arcadia', 'Babbo', 'Zuni', 'Boulevard', 'Aqua', 'Masa', 'Bacchanalia', 'Pano', 'Nikolai', 'Buckhead', 'Delmonico', 'Picasso', 'Aria', 'Renoir'];
const KINDS = ['Grill', 'Cafe', 'Bistro', 'Kitchen', 'Trattoria', 'Brasserie', 'Diner', 'Steakhouse', 'Sushi Bar', 'Restaurant', 'Tavern', 'Bar & Grill'];
const CHAINS = ['California Pizza Kitchen', 'Hard Rock Cafe', 'Benihana', 'Ruth\'s Chris Steak House', 'The Cheesecake Factory', 'Johnny Rockets', 'Planet Hollywood', 'Morton\'s of Chicago'];

function tools(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const chance = (p) => r() < p;
  const digits = (n) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const typo = (s) => {
    if (!s || s.length < 4) return s;
    const i = 1 + Math.floor(r() * (s.length - 2));
    const k = r();
    if (k < 0.35) return s.slice(0, i) + s.slice(i + 1);
    if (k < 0.6) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    return s.slice(0, i) + pick('aeiourstnl') + s.slice(i + 1);
  };
  const address = () => ({ no: String(1 + Math.floor(r() * 9900)), street: pick(STREETS), type: pick(STYPE), suite: chance(0.15) ? `Suite ${100 + Math.floor(r() * 400)}` : '' });
  const addrText = (a, variant) => {
    const type = variant && chance(0.6) ? pick(a.type[1]) : a.type[0];
    const suite = a.suite && !(variant && chance(0.5)) ? `, ${a.suite}` : '';
    return `${a.no} ${variant && chance(0.1) ? typo(a.street) : a.street} ${type}${suite}`;
  };
  return { pick, chance, digits, typo, address, addrText };
}

/** The restaurant guide: rows { entity, source, name, addr, city, phone, type }. */
export function restaurants({ seed = 1, places = 750, inBoth = 0.16 } = {}) {
  const r = rng(seed);
  const { pick, chance, digits, typo, address, addrText } = tools(r);
  const list = [];
  const usedNames = new Set();
  const name = () => {
    for (;;) {
      const k = r();
      const n = k < 0.35 ? `${pick(PEOPLE)}'s` : k < 0.6 ? `${pick(WORDS)} ${pick(KINDS)}` : k < 0.8 ? `${pick(PEOPLE)} ${pick(KINDS)}` : `${pick(WORDS)} ${pick(PEOPLE)}`;
      if (!usedNames.has(n)) {
        usedNames.add(n);
        return n;
      }
    }
  };
  const hotels = [];
  for (let id = 1; id <= places; id++) {
    const c = pick(CITIES);
    let addr;
    let nm;
    const k = r();
    if (k < 0.06) nm = pick(CHAINS); // a chain's branch: its own address and phone
    else nm = name();
    if (k >= 0.06 && k < 0.2 && hotels.length > 0 && chance(0.6)) addr = pick(hotels); // several restaurants in one hotel or mall
    else {
      addr = { ...address(), city: c };
      if (chance(0.15)) hotels.push(addr);
    }
    list.push({ id, name: nm, addr, phone: `${addr.city[2]}${digits(7)}`, type: pick(['American', 'French', 'Italian', 'Japanese', 'Californian', 'Steakhouses', 'Seafood', 'Continental']) });
  }
  const fmtA = (p) => `${p.slice(0, 3)}/${p.slice(3, 6)}-${p.slice(6)}`;
  const fmtB = (p) => `${p.slice(0, 3)}-${p.slice(3, 6)}-${p.slice(6)}`;
  const rows = [];
  const nameVariant = (n) => {
    const k = r();
    if (k < 0.25) return n.replace(/^The /, '').replace(/ Restaurant$/, '');
    if (k < 0.4) return n.replace(/&/g, 'and');
    if (k < 0.5) return typo(n);
    if (k < 0.6) return `${n} (${pick(['Beverly Hills', 'Downtown', 'Midtown', 'Buckhead'])})`;
    return n;
  };
  for (const p of list) {
    const where = r();
    const inA = where < 0.5 + inBoth / 2;
    const inB = where >= 0.5 - inBoth / 2;
    if (inA) rows.push({ entity: String(p.id), source: 'A', name: p.name, addr: addrText(p.addr, false), city: p.addr.city[0], phone: fmtA(p.phone), type: p.type });
    if (inB) {
      const phone = chance(0.05) ? `${p.addr.city[2]}${digits(7)}` : p.phone;
      rows.push({ entity: String(p.id), source: 'B', name: inA ? nameVariant(p.name) : p.name, addr: addrText(p.addr, inA), city: inA && chance(0.3) ? pick(p.addr.city[1]) : p.addr.city[0], phone: fmtB(phone), type: p.type });
    }
  }
  return rows;
}

/** The childcare list: rows { entity, name, addr, city, phone, email }. */
export function childcare({ seed = 1, sites = 2600 } = {}) {
  const r = rng(seed);
  const { pick, chance, digits, typo, address, addrText } = tools(r);
  const SUFFIX = ['Daycare', 'Child Care Center', 'Preschool', 'Learning Center', 'Early Learning', 'Montessori', 'Kids Club', 'Academy'];
  const PROGRAMS = ['After School Program', 'Preschool', 'Child Development Center', 'Head Start', 'Day Care'];
  const CHAIN = ['KinderCare Learning Center', 'La Petite Academy', 'Bright Horizons', 'Childtime', 'Tutor Time'];
  const hosts = [];
  const sitesList = [];
  for (let id = 1; id <= sites; id++) {
    let nm;
    let addr;
    const k = r();
    if (k < 0.07) {
      nm = pick(CHAIN);
      addr = address();
    } else if (k < 0.17 && hosts.length > 0) {
      const h = pick(hosts); // another programme of the same church or school, at its address
      const left = PROGRAMS.filter((x) => !h.used.includes(x));
      const prog = left.length > 0 ? pick(left) : `${pick(WORDS)} Program`;
      h.used.push(prog);
      nm = `${h.host} ${prog}`;
      addr = h.addr;
    } else {
      nm = `${chance(0.5) ? pick(WORDS) : pick(PEOPLE)} ${pick(WORDS)} ${pick(SUFFIX)}`;
      addr = address();
      if (chance(0.1)) hosts.push({ host: `${pick(['St.', 'First', 'Grace', 'Trinity', 'Bethel'])} ${pick(WORDS)} ${pick(['Church', 'Elementary', 'Community Center'])}`, addr, used: [] });
    }
    const phone = digits(7);
    sitesList.push({ id, name: nm, addr, phone, email: chance(0.35) ? `${nm.toLowerCase().replace(/[^a-z]+/g, '').slice(0, 14)}${digits(2)}@${pick(['gmail.com', 'yahoo.com', 'aol.com'])}` : '' });
  }
  const fmt = (p) => (chance(0.15) ? `(206) ${p.slice(0, 3)}-${p.slice(3)}` : `${p.slice(0, 3)}-${p.slice(3)}`);
  const rows = [];
  for (const s of sitesList) {
    const copies = chance(0.25) ? (chance(0.75) ? 2 : 3) : 1;
    for (let c = 0; c < copies; c++) {
      const v = c > 0;
      let email = s.email && !(v && chance(0.4)) ? s.email : '';
      if (chance(0.04)) email = `${1 + Math.floor(r() * 12)}/${1 + Math.floor(r() * 28)}/20${String(10 + Math.floor(r() * 9))}`; // a date typed in the e-mail column
      let name = s.name;
      if (v) {
        const k = r();
        if (k < 0.2) name = typo(name);
        else if (k < 0.35) name = `${name}${pick([', Inc.', ' LLC', ' Inc'])}`;
        else if (k < 0.45) name = name.toUpperCase();
      }
      rows.push({ entity: String(s.id), name, addr: addrText(s.addr, v), city: 'Seattle', phone: v && chance(0.1) ? '' : fmt(s.phone), email });
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}
