export interface BusinessRow { entity: string; source?: string; name: string; addr: string; city: string; phone: string; email?: string; type?: string }
export function restaurants(opts?: { seed?: number; places?: number; inBoth?: number }): BusinessRow[];
export function childcare(opts?: { seed?: number; sites?: number }): BusinessRow[];
