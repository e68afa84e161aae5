import type { Ctx } from '../context.js';
import type { AssignedBy, Consent, Contact, Customer, Interaction, Sale } from '../model.js';
import { resolveRef } from './ref.js';

export interface CustomerDetail {
  customer: Customer;
  contacts: Contact[];
  interactions: Interaction[];
  sales: Sale[];
  consents: Consent[];
  categories: { name: string; assignedBy: AssignedBy }[];
}

export function showCustomer(ctx: Ctx, ref: string): CustomerDetail {
  const customer = resolveRef(ctx, ref);
  const s = ctx.store;
  return {
    customer,
    contacts: s.contacts.forCustomer(customer.id),
    interactions: s.interactions.forCustomer(customer.id),
    sales: s.sales.forCustomer(customer.id),
    consents: s.consents.forCustomer(customer.id),
    categories: s.categories.forCustomer(customer.id),
  };
}
