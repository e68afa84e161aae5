// The generated sets of the accuracy bench beyond the French files: business files shaped like the
// restaurant-guide and childcare symptoms of issue 16, and FEBRL-like people in entities of 2–6.
import { childcare, restaurants } from './gen/businesses.js';
import { febrlLike } from './gen/febrl-like.js';

/** Business rows → carnet fields: the name is the company; the phone as written (no country: carnet keeps what it cannot read in extra). */
export function businessRows(kind, seed) {
  const rows = kind === 'restaurants' ? restaurants({ seed }) : childcare({ seed });
  return rows.map((x, k) => ({
    truth: x.entity,
    input: { externalId: `R${k + 1}`, companyName: x.name, addressLine1: x.addr, city: x.city, phone: x.phone, email: x.email || undefined, extra: x.type ? { type: x.type } : {} },
  }));
}

/** FEBRL-like people (no social-security number). */
export function febrlLikeRows({ seed = 1, entities } = {}) {
  return febrlLike({ seed, entities }).map((x, k) => ({
    truth: x.entity,
    input: { externalId: `F${k + 1}`, firstName: x.given_name, lastName: x.surname, addressLine1: [x.street_number, x.address_1].filter(Boolean).join(' '), addressLine2: x.address_2, city: x.suburb, postalCode: x.postcode, country: 'AU', birthDate: x.date_of_birth, extra: x.state ? { state: x.state } : {} },
  }));
}
