import { initOrm } from '../db/orm.js';
import { createLoaders } from '../loaders.js';
const orm = await initOrm({ clientUrl: 'postgres://postgres@127.0.0.1:5432/test' });
for (let round = 0; round < 3; round++) {
  let s = performance.now();
  for (let i = 0; i < 1000; i++) orm.em.fork();
  const fork = (performance.now() - s) / 1000;
  s = performance.now();
  const em = orm.em.fork();
  for (let i = 0; i < 1000; i++) createLoaders(em, 'x');
  console.log({ forkMs: fork, loadersMs: (performance.now() - s) / 1000 });
}
await orm.close();
