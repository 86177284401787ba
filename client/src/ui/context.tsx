import { createContext, useContext } from 'react';
import type { ChitDb } from '../db/schema.js';
import type { UpdateStore } from '../pwa/register.js';
import type { SyncEngine } from '../sync/engine.js';

export interface AppServices {
  db: ChitDb;
  engine: SyncEngine;
  updates: UpdateStore;
}

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a <ServicesContext.Provider>');
  return services;
}
