/** Word lists the catalogue draws from. Fixed data: changing them changes every generated record. */

export const ADJECTIVES = [
  'Silent', 'Crimson', 'Last', 'Hidden', 'Broken', 'Golden', 'Midnight', 'Distant', 'Wild', 'Frozen',
  'Electric', 'Lost', 'Burning', 'Hollow', 'Final', 'Secret', 'Endless', 'Iron', 'Paper', 'Velvet',
  'Savage', 'Quiet', 'Neon', 'Forgotten', 'Bright', 'Dark', 'Glass', 'Northern', 'Little', 'Eternal',
] as const;

export const NOUNS = [
  'Harbor', 'Kingdom', 'Signal', 'Garden', 'Witness', 'Horizon', 'Empire', 'Station', 'Orchard', 'Machine',
  'River', 'Mirror', 'Storm', 'Island', 'Code', 'Frontier', 'Circus', 'Lighthouse', 'Protocol', 'Comet',
  'Detective', 'Summer', 'Desert', 'Archive', 'Colony', 'Symphony', 'Heist', 'Voyage', 'Mountain', 'Promise',
] as const;

export const ROLES = [
  'retired detective', 'young engineer', 'reluctant heir', 'small-town nurse', 'disgraced pilot',
  'street musician', 'rookie astronaut', 'grieving widow', 'teenage hacker', 'wandering monk',
  'ambitious chef', 'former spy', 'lonely robot', 'stubborn farmer', 'famous novelist',
] as const;

export const VERBS = [
  'uncovers', 'must protect', 'races to find', 'falls for', 'is haunted by', 'sets out to steal',
  'tries to escape', 'stumbles upon', 'is forced to confront', 'learns the truth about',
] as const;

export const OBJECTS = [
  'a forgotten map', 'an ancient curse', 'a rival family', 'the last working radio', 'a stolen painting',
  'a mysterious stranger', 'a secret society', 'an abandoned theme park', 'a runaway train', 'a lost sibling',
  'a dangerous experiment', 'an old promise', 'a buried treasure', 'a corrupt mayor', 'a talking cat',
] as const;

export const PLACES = [
  'post-war Berlin', 'a drowned city', 'the outer colonies', 'rural Japan', 'a crumbling palace',
  '1970s New York', 'a remote research station', 'the Scottish highlands', 'a floating casino',
  'a sleepy fishing village', 'the near future', 'São Paulo', 'a frozen outpost', 'Marseille',
] as const;

export const CODAS = [
  'Nothing will ever be the same.', 'Time is running out.', 'Trust no one.',
  'Some secrets refuse to stay buried.', 'The past always finds a way back.',
  'Every choice has a price.', 'Family is complicated.', 'Only one of them can win.',
] as const;

/** Original titles in Latin-1 scripts (multi-byte in UTF-8, still one-byte strings in V8). */
export const LATIN_TITLES: Record<string, readonly string[]> = {
  fr: ['Le Dernier Été', 'La Rivière Noire', 'Les Enfants du Phare', 'Amélie et la Comète'],
  es: ['El Jardín Secreto', 'La Última Estación', 'Niños del Desierto', 'Canción de Invierno'],
  de: ['Die Stille Grenze', 'Das Gläserne Haus', 'Der Letzte Zug', 'Über den Fluss'],
  it: ['La Città Perduta', 'Il Giardino di Vetro', "L'Ultima Estate", 'Notte a Napoli'],
  pt: ['O Último Verão', 'Cidade de Vidro', 'A Ilha Perdida', 'Coração do Sertão'],
};

/** Original titles in other scripts, used only on rare records (see Catalogue). */
export const NATIVE_TITLES: Record<string, readonly string[]> = {
  ja: ['東京の夜', '静かな港', '最後の夏', '風の王国'],
  ko: ['서울의 밤', '잃어버린 섬', '마지막 약속', '푸른 바다'],
  zh: ['长城之外', '月光下的城市', '最后的信号', '红色花园'],
  hi: ['आख़िरी सफ़र', 'सपनों का शहर', 'खोया हुआ गाँव', 'नीली नदी'],
};

/** The same languages' titles romanised, used on all other records. */
export const ROMANISED_TITLES: Record<string, readonly string[]> = {
  ja: ['Tokyo no Yoru', 'Shizuka na Minato', 'Saigo no Natsu', 'Kaze no Oukoku'],
  ko: ['Seoul-ui Bam', 'Ilheobeorin Seom', 'Majimak Yaksok', 'Pureun Bada'],
  zh: ['Changcheng Zhi Wai', 'Yueguang Xia De Chengshi', 'Zuihou De Xinhao', 'Hongse Huayuan'],
  hi: ['Aakhri Safar', 'Sapnon Ka Shahar', 'Khoya Hua Gaon', 'Neeli Nadi'],
};

/** Languages with their weights (English dominates, as on TMDB). */
export const LANGUAGES: readonly string[] = [
  'en', 'en', 'en', 'en', 'en', 'en', 'en', 'en', 'fr', 'es', 'de', 'ja', 'ko', 'zh', 'it', 'hi', 'pt',
];

/** TMDB movie genre ids. */
export const GENRE_IDS = [
  28, 12, 16, 35, 80, 99, 18, 10751, 14, 36, 27, 10402, 9648, 10749, 878, 10770, 53, 10752, 37,
] as const;

export const COUNTRIES = ['US', 'GB', 'FR', 'DE', 'JP', 'KR', 'IN', 'ES', 'IT', 'CA', 'CN', 'BR'] as const;

export const KEYWORDS = [
  'based on novel', 'heist', 'time travel', 'revenge', 'dystopia', 'coming of age', 'road trip',
  'small town', 'artificial intelligence', 'family drama', 'space', 'friendship', 'betrayal', 'sequel',
  'female protagonist', 'biography', 'musical', 'survival', 'conspiracy', 'cat',
] as const;

export const ROMAN = ['II', 'III', 'IV', 'Returns', 'Reborn', 'Rising'] as const;

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
