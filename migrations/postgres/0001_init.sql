-- carnet data model, level 1, PostgreSQL. Never edit once landed: add a new level instead.
-- The same tables as migrations/0001_init.sql. Conventions (so that both engines print the
-- same bytes): text is COLLATE "C" (SQLite's binary order), ids are bigint identities,
-- booleans are integers 0/1, JSON and timestamps are stored as the same text SQLite stores.

-- Lower case without accents, exactly as foldForSql (src/db/open.ts): NFD, drop the combining
-- marks U+0300–U+036F, lower case. lower() under "C" changes ASCII only whatever the server's
-- locale, so the other letters go through translate() with the table JavaScript's
-- toLowerCase() uses (generated from Node's Unicode data); only non-ASCII text pays for it.
-- Text whose only non-ASCII characters are accents (most French names and towns) is plain ASCII
-- once the combining marks are gone, so it lowers with lower() alone: the sigma rule and the long
-- translate() table (a linear search per character, ~70 µs a row, the bulk of a customer insert
-- through the full-text index) are only for text that still has other non-ASCII letters.
CREATE FUNCTION carnet_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
RETURN CASE
  WHEN value !~ '[^\x01-\x7f]' THEN lower(value COLLATE "C")
  WHEN regexp_replace(normalize(value, NFD), '[\u0300-\u036f]', '', 'g') !~ '[^\x01-\x7f]'
    THEN lower(regexp_replace(normalize(value, NFD), '[\u0300-\u036f]', '', 'g') COLLATE "C")
  -- A capital sigma ending a word lowers to ς, as JavaScript does (letters of the
  -- Latin, Greek and Cyrillic blocks count as letters here).
  ELSE translate(lower(regexp_replace(regexp_replace(normalize(value, NFD), '[\u0300-\u036f]', '', 'g'),
      '([A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u1f00-\u1fff])\u03a3(?![A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u1f00-\u1fff])', '\1ς', 'g') COLLATE "C"),
    'ÆÐØÞĐĦĲĿŁŊŒŦƁƂƄƆƇƉƊƋƎƏƐƑƓƔƖƗƘƜƝƟƢƤƦƧƩƬƮƱƲƳƵƷƸƼǄǅǇǈǊǋǤǱǲǶǷȜȠȢȤȺȻȽȾɁɃɄɅɆɈɊɌɎͰͲͶͿΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩϏϘϚϜϞϠϢϤϦϨϪϬϮϴϷϹϺϽϾϿЂЄЅІЈЉЊЋЏАБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯѠѢѤѦѨѪѬѮѰѲѴѸѺѼѾҀҊҌҎҐҒҔҖҘҚҜҞҠҢҤҦҨҪҬҮҰҲҴҶҸҺҼҾӀӃӅӇӉӋӍӔӘӠӨӶӺӼӾԀԂԄԆԈԊԌԎԐԒԔԖԘԚԜԞԠԢԤԦԨԪԬԮԱԲԳԴԵԶԷԸԹԺԻԼԽԾԿՀՁՂՃՄՅՆՇՈՉՊՋՌՍՎՏՐՑՒՓՔՕՖႠႡႢႣႤႥႦႧႨႩႪႫႬႭႮႯႰႱႲႳႴႵႶႷႸႹႺႻႼႽႾႿჀჁჂჃჄჅჇჍᎠᎡᎢᎣᎤᎥᎦᎧᎨᎩᎪᎫᎬᎭᎮᎯᎰᎱᎲᎳᎴᎵᎶᎷᎸᎹᎺᎻᎼᎽᎾᎿᏀᏁᏂᏃᏄᏅᏆᏇᏈᏉᏊᏋᏌᏍᏎᏏᏐᏑᏒᏓᏔᏕᏖᏗᏘᏙᏚᏛᏜᏝᏞᏟᏠᏡᏢᏣᏤᏥᏦᏧᏨᏩᏪᏫᏬᏭᏮᏯᏰᏱᏲᏳᏴᏵᲉᲐᲑᲒᲓᲔᲕᲖᲗᲘᲙᲚᲛᲜᲝᲞᲟᲠᲡᲢᲣᲤᲥᲦᲧᲨᲩᲪᲫᲬᲭᲮᲯᲰᲱᲲᲳᲴᲵᲶᲷᲸᲹᲺᲽᲾᲿẞỺỼỾℲⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫⅬⅭⅮⅯↃⒶⒷⒸⒹⒺⒻⒼⒽⒾⒿⓀⓁⓂⓃⓄⓅⓆⓇⓈⓉⓊⓋⓌⓍⓎⓏⰀⰁⰂⰃⰄⰅⰆⰇⰈⰉⰊⰋⰌⰍⰎⰏⰐⰑⰒⰓⰔⰕⰖⰗⰘⰙⰚⰛⰜⰝⰞⰟⰠⰡⰢⰣⰤⰥⰦⰧⰨⰩⰪⰫⰬⰭⰮⰯⱠⱢⱣⱤⱧⱩⱫⱭⱮⱯⱰⱲⱵⱾⱿⲀⲂⲄⲆⲈⲊⲌⲎⲐⲒⲔⲖⲘⲚⲜⲞⲠⲢⲤⲦⲨⲪⲬⲮⲰⲲⲴⲶⲸⲺⲼⲾⳀⳂⳄⳆⳈⳊⳌⳎⳐⳒⳔⳖⳘⳚⳜⳞⳠⳢⳫⳭⳲꙀꙂꙄꙆꙈꙊꙌꙎꙐꙒꙔꙖꙘꙚꙜꙞꙠꙢꙤꙦꙨꙪꙬꚀꚂꚄꚆꚈꚊꚌꚎꚐꚒꚔꚖꚘꚚꜢꜤꜦꜨꜪꜬꜮꜲꜴꜶꜸꜺꜼꜾꝀꝂꝄꝆꝈꝊꝌꝎꝐꝒꝔꝖꝘꝚꝜꝞꝠꝢꝤꝦꝨꝪꝬꝮꝹꝻꝽꝾꞀꞂꞄꞆꞋꞍꞐꞒꞖꞘꞚꞜꞞꞠꞢꞤꞦꞨꞪꞫꞬꞭꞮꞰꞱꞲꞳꞴꞶꞸꞺꞼꞾꟀꟂꟄꟅꟆꟇꟉꟋꟌ꟎Ꟑ꟒꟔ꟖꟘꟚꟜꟵＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ𐐀𐐁𐐂𐐃𐐄𐐅𐐆𐐇𐐈𐐉𐐊𐐋𐐌𐐍𐐎𐐏𐐐𐐑𐐒𐐓𐐔𐐕𐐖𐐗𐐘𐐙𐐚𐐛𐐜𐐝𐐞𐐟𐐠𐐡𐐢𐐣𐐤𐐥𐐦𐐧𐒰𐒱𐒲𐒳𐒴𐒵𐒶𐒷𐒸𐒹𐒺𐒻𐒼𐒽𐒾𐒿𐓀𐓁𐓂𐓃𐓄𐓅𐓆𐓇𐓈𐓉𐓊𐓋𐓌𐓍𐓎𐓏𐓐𐓑𐓒𐓓𐕰𐕱𐕲𐕳𐕴𐕵𐕶𐕷𐕸𐕹𐕺𐕼𐕽𐕾𐕿𐖀𐖁𐖂𐖃𐖄𐖅𐖆𐖇𐖈𐖉𐖊𐖌𐖍𐖎𐖏𐖐𐖑𐖒𐖔𐖕𐲀𐲁𐲂𐲃𐲄𐲅𐲆𐲇𐲈𐲉𐲊𐲋𐲌𐲍𐲎𐲏𐲐𐲑𐲒𐲓𐲔𐲕𐲖𐲗𐲘𐲙𐲚𐲛𐲜𐲝𐲞𐲟𐲠𐲡𐲢𐲣𐲤𐲥𐲦𐲧𐲨𐲩𐲪𐲫𐲬𐲭𐲮𐲯𐲰𐲱𐲲𐵐𐵑𐵒𐵓𐵔𐵕𐵖𐵗𐵘𐵙𐵚𐵛𐵜𐵝𐵞𐵟𐵠𐵡𐵢𐵣𐵤𐵥𑢠𑢡𑢢𑢣𑢤𑢥𑢦𑢧𑢨𑢩𑢪𑢫𑢬𑢭𑢮𑢯𑢰𑢱𑢲𑢳𑢴𑢵𑢶𑢷𑢸𑢹𑢺𑢻𑢼𑢽𑢾𑢿𖹀𖹁𖹂𖹃𖹄𖹅𖹆𖹇𖹈𖹉𖹊𖹋𖹌𖹍𖹎𖹏𖹐𖹑𖹒𖹓𖹔𖹕𖹖𖹗𖹘𖹙𖹚𖹛𖹜𖹝𖹞𖹟𖺠𖺡𖺢𖺣𖺤𖺥𖺦𖺧𖺨𖺩𖺪𖺫𖺬𖺭𖺮𖺯𖺰𖺱𖺲𖺳𖺴𖺵𖺶𖺷𖺸𞤀𞤁𞤂𞤃𞤄𞤅𞤆𞤇𞤈𞤉𞤊𞤋𞤌𞤍𞤎𞤏𞤐𞤑𞤒𞤓𞤔𞤕𞤖𞤗𞤘𞤙𞤚𞤛𞤜𞤝𞤞𞤟𞤠𞤡',
    'æðøþđħĳŀłŋœŧɓƃƅɔƈɖɗƌǝəɛƒɠɣɩɨƙɯɲɵƣƥʀƨʃƭʈʊʋƴƶʒƹƽǆǆǉǉǌǌǥǳǳƕƿȝƞȣȥⱥȼƚⱦɂƀʉʌɇɉɋɍɏͱͳͷϳαβγδεζηθικλμνξοπρστυφχψωϗϙϛϝϟϡϣϥϧϩϫϭϯθϸϲϻͻͼͽђєѕіјљњћџабвгдежзиклмнопрстуфхцчшщъыьэюяѡѣѥѧѩѫѭѯѱѳѵѹѻѽѿҁҋҍҏґғҕҗҙқҝҟҡңҥҧҩҫҭүұҳҵҷҹһҽҿӏӄӆӈӊӌӎӕәӡөӷӻӽӿԁԃԅԇԉԋԍԏԑԓԕԗԙԛԝԟԡԣԥԧԩԫԭԯաբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆⴀⴁⴂⴃⴄⴅⴆⴇⴈⴉⴊⴋⴌⴍⴎⴏⴐⴑⴒⴓⴔⴕⴖⴗⴘⴙⴚⴛⴜⴝⴞⴟⴠⴡⴢⴣⴤⴥⴧⴭꭰꭱꭲꭳꭴꭵꭶꭷꭸꭹꭺꭻꭼꭽꭾꭿꮀꮁꮂꮃꮄꮅꮆꮇꮈꮉꮊꮋꮌꮍꮎꮏꮐꮑꮒꮓꮔꮕꮖꮗꮘꮙꮚꮛꮜꮝꮞꮟꮠꮡꮢꮣꮤꮥꮦꮧꮨꮩꮪꮫꮬꮭꮮꮯꮰꮱꮲꮳꮴꮵꮶꮷꮸꮹꮺꮻꮼꮽꮾꮿᏸᏹᏺᏻᏼᏽᲊაბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰჱჲჳჴჵჶჷჸჹჺჽჾჿßỻỽỿⅎⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹⅺⅻⅼⅽⅾⅿↄⓐⓑⓒⓓⓔⓕⓖⓗⓘⓙⓚⓛⓜⓝⓞⓟⓠⓡⓢⓣⓤⓥⓦⓧⓨⓩⰰⰱⰲⰳⰴⰵⰶⰷⰸⰹⰺⰻⰼⰽⰾⰿⱀⱁⱂⱃⱄⱅⱆⱇⱈⱉⱊⱋⱌⱍⱎⱏⱐⱑⱒⱓⱔⱕⱖⱗⱘⱙⱚⱛⱜⱝⱞⱟⱡɫᵽɽⱨⱪⱬɑɱɐɒⱳⱶȿɀⲁⲃⲅⲇⲉⲋⲍⲏⲑⲓⲕⲗⲙⲛⲝⲟⲡⲣⲥⲧⲩⲫⲭⲯⲱⲳⲵⲷⲹⲻⲽⲿⳁⳃⳅⳇⳉⳋⳍⳏⳑⳓⳕⳗⳙⳛⳝⳟⳡⳣⳬⳮⳳꙁꙃꙅꙇꙉꙋꙍꙏꙑꙓꙕꙗꙙꙛꙝꙟꙡꙣꙥꙧꙩꙫꙭꚁꚃꚅꚇꚉꚋꚍꚏꚑꚓꚕꚗꚙꚛꜣꜥꜧꜩꜫꜭꜯꜳꜵꜷꜹꜻꜽꜿꝁꝃꝅꝇꝉꝋꝍꝏꝑꝓꝕꝗꝙꝛꝝꝟꝡꝣꝥꝧꝩꝫꝭꝯꝺꝼᵹꝿꞁꞃꞅꞇꞌɥꞑꞓꞗꞙꞛꞝꞟꞡꞣꞥꞧꞩɦɜɡɬɪʞʇʝꭓꞵꞷꞹꞻꞽꞿꟁꟃꞔʂᶎꟈꟊɤꟍ꟏ꟑꟓꟕꟗꟙꟛƛꟶａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ𐐨𐐩𐐪𐐫𐐬𐐭𐐮𐐯𐐰𐐱𐐲𐐳𐐴𐐵𐐶𐐷𐐸𐐹𐐺𐐻𐐼𐐽𐐾𐐿𐑀𐑁𐑂𐑃𐑄𐑅𐑆𐑇𐑈𐑉𐑊𐑋𐑌𐑍𐑎𐑏𐓘𐓙𐓚𐓛𐓜𐓝𐓞𐓟𐓠𐓡𐓢𐓣𐓤𐓥𐓦𐓧𐓨𐓩𐓪𐓫𐓬𐓭𐓮𐓯𐓰𐓱𐓲𐓳𐓴𐓵𐓶𐓷𐓸𐓹𐓺𐓻𐖗𐖘𐖙𐖚𐖛𐖜𐖝𐖞𐖟𐖠𐖡𐖣𐖤𐖥𐖦𐖧𐖨𐖩𐖪𐖫𐖬𐖭𐖮𐖯𐖰𐖱𐖳𐖴𐖵𐖶𐖷𐖸𐖹𐖻𐖼𐳀𐳁𐳂𐳃𐳄𐳅𐳆𐳇𐳈𐳉𐳊𐳋𐳌𐳍𐳎𐳏𐳐𐳑𐳒𐳓𐳔𐳕𐳖𐳗𐳘𐳙𐳚𐳛𐳜𐳝𐳞𐳟𐳠𐳡𐳢𐳣𐳤𐳥𐳦𐳧𐳨𐳩𐳪𐳫𐳬𐳭𐳮𐳯𐳰𐳱𐳲𐵰𐵱𐵲𐵳𐵴𐵵𐵶𐵷𐵸𐵹𐵺𐵻𐵼𐵽𐵾𐵿𐶀𐶁𐶂𐶃𐶄𐶅𑣀𑣁𑣂𑣃𑣄𑣅𑣆𑣇𑣈𑣉𑣊𑣋𑣌𑣍𑣎𑣏𑣐𑣑𑣒𑣓𑣔𑣕𑣖𑣗𑣘𑣙𑣚𑣛𑣜𑣝𑣞𑣟𖹠𖹡𖹢𖹣𖹤𖹥𖹦𖹧𖹨𖹩𖹪𖹫𖹬𖹭𖹮𖹯𖹰𖹱𖹲𖹳𖹴𖹵𖹶𖹷𖹸𖹹𖹺𖹻𖹼𖹽𖹾𖹿𖺻𖺼𖺽𖺾𖺿𖻀𖻁𖻂𖻃𖻄𖻅𖻆𖻇𖻈𖻉𖻊𖻋𖻌𖻍𖻎𖻏𖻐𖻑𖻒𖻓𞤢𞤣𞤤𞤥𞤦𞤧𞤨𞤩𞤪𞤫𞤬𞤭𞤮𞤯𞤰𞤱𞤲𞤳𞤴𞤵𞤶𞤷𞤸𞤹𞤺𞤻𞤼𞤽𞤾𞤿𞥀𞥁𞥂𞥃')
END;

-- json_patch (RFC 7396) as SQLite writes it, on carnet's flat JSON objects (extra, custom):
-- the target's keys in their order with the patch's values, a key the patch sets to null
-- removed, then the patch's new keys in their order; minified, values' text as given.
CREATE FUNCTION carnet_json_patch(target text, patch text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
RETURN (
  SELECT coalesce('{' || string_agg(to_json(e.key)::text || ':' || e.value, ',' ORDER BY e.part, e.ord) || '}', '{}')
  FROM (
    SELECT 1 AS part, t.ord, t.key, coalesce(p.value, t.value)::text AS value, json_typeof(p.value) AS patched
    FROM json_each(CAST(target AS json)) WITH ORDINALITY AS t (key, value, ord)
      LEFT JOIN json_each(CAST(patch AS json)) AS p ON p.key = t.key
    UNION ALL
    SELECT 2, p.ord, p.key, p.value::text, json_typeof(p.value)
    FROM json_each(CAST(patch AS json)) WITH ORDINALITY AS p (key, value, ord)
    WHERE p.key NOT IN (SELECT t.key FROM json_each(CAST(target AS json)) AS t)
  ) AS e
  WHERE e.patched IS DISTINCT FROM 'null'
);

CREATE TABLE settings (
  key   text COLLATE "C" PRIMARY KEY,
  value text COLLATE "C" NOT NULL
);

CREATE TABLE customers (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, -- never reused
  uid             text COLLATE "C" NOT NULL UNIQUE,
  kind            text COLLATE "C" NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
  civility        text COLLATE "C",
  first_name      text COLLATE "C",
  last_name       text COLLATE "C",
  company_name    text COLLATE "C",
  legal_form      text COLLATE "C",
  siret           text COLLATE "C",
  vat_number      text COLLATE "C",
  sector          text COLLATE "C",
  job_title       text COLLATE "C",
  email           text COLLATE "C",
  email_norm      text COLLATE "C",
  phone           text COLLATE "C",
  phone_e164      text COLLATE "C",
  mobile          text COLLATE "C",
  mobile_e164     text COLLATE "C",
  address_line1   text COLLATE "C",
  address_line2   text COLLATE "C",
  postal_code     text COLLATE "C",
  city            text COLLATE "C",
  country         text COLLATE "C",
  birth_date      text COLLATE "C",
  website         text COLLATE "C",
  owner           text COLLATE "C",
  region          text COLLATE "C",
  status          text COLLATE "C" NOT NULL DEFAULT 'prospect',
  source          text COLLATE "C",
  external_id     text COLLATE "C",
  external_source text COLLATE "C",
  notes           text COLLATE "C",
  extra           text COLLATE "C" NOT NULL DEFAULT '{}' CHECK (extra::json IS NOT NULL),
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  last_contact_at text COLLATE "C",
  restricted_at   text COLLATE "C",
  archived_at     text COLLATE "C"
);

CREATE INDEX customers_email_norm ON customers (email_norm) WHERE email_norm IS NOT NULL;
CREATE INDEX customers_siret ON customers (siret) WHERE siret IS NOT NULL;
CREATE INDEX customers_phone ON customers (phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX customers_mobile ON customers (mobile_e164) WHERE mobile_e164 IS NOT NULL;
CREATE INDEX customers_external ON customers (external_source, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX customers_status ON customers (status);

CREATE TABLE contacts (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  civility    text COLLATE "C",
  first_name  text COLLATE "C",
  last_name   text COLLATE "C",
  role        text COLLATE "C",
  email       text COLLATE "C",
  email_norm  text COLLATE "C",
  phone       text COLLATE "C",
  phone_e164  text COLLATE "C",
  notes       text COLLATE "C",
  created_at  text COLLATE "C" NOT NULL,
  updated_at  text COLLATE "C" NOT NULL
);
CREATE INDEX contacts_customer ON contacts (customer_id);
CREATE INDEX contacts_email_norm ON contacts (email_norm) WHERE email_norm IS NOT NULL;

-- SQLite's COLLATE NOCASE folds ASCII only: so does lower() under "C".
CREATE TABLE categories (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name        text COLLATE "C" NOT NULL,
  description text COLLATE "C",
  kind        text COLLATE "C" NOT NULL DEFAULT 'manual' CHECK (kind IN ('manual', 'rule', 'lifecycle', 'rfm')),
  created_at  text COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX categories_name ON categories (lower(name));

CREATE TABLE customer_categories (
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  category_id bigint NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  assigned_by text COLLATE "C" NOT NULL DEFAULT 'manual' CHECK (assigned_by IN ('manual', 'rule', 'lifecycle', 'rfm', 'import')),
  assigned_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (customer_id, category_id, assigned_by)
);
CREATE INDEX customer_categories_category ON customer_categories (category_id, customer_id);

CREATE TABLE category_rules (
  category_id bigint PRIMARY KEY REFERENCES categories (id) ON DELETE CASCADE,
  expression  text COLLATE "C" NOT NULL,
  updated_at  text COLLATE "C" NOT NULL
);

CREATE TABLE interactions (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  contact_id  bigint REFERENCES contacts (id) ON DELETE SET NULL,
  kind        text COLLATE "C" NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'mailing', 'sms', 'note', 'letter', 'visit')),
  direction   text COLLATE "C" NOT NULL CHECK (direction IN ('in', 'out')),
  occurred_at text COLLATE "C" NOT NULL,
  summary     text COLLATE "C",
  source      text COLLATE "C",
  created_at  text COLLATE "C" NOT NULL
);
CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at);

CREATE TABLE sales (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  kind         text COLLATE "C" NOT NULL CHECK (kind IN ('quote', 'order', 'invoice', 'credit')),
  number       text COLLATE "C",
  issued_on    text COLLATE "C" NOT NULL,
  due_on       text COLLATE "C",
  amount_cents bigint NOT NULL,
  currency     text COLLATE "C" NOT NULL DEFAULT 'EUR',
  status       text COLLATE "C" NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'refused', 'paid', 'unpaid', 'cancelled')),
  label        text COLLATE "C",
  source       text COLLATE "C",
  created_at   text COLLATE "C" NOT NULL,
  updated_at   text COLLATE "C" NOT NULL
);
CREATE INDEX sales_customer ON sales (customer_id, issued_on);
CREATE UNIQUE INDEX sales_number ON sales (kind, number) WHERE number IS NOT NULL;

CREATE TABLE consents (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  channel     text COLLATE "C" NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post')),
  purpose     text COLLATE "C" NOT NULL DEFAULT 'marketing',
  state       text COLLATE "C" NOT NULL CHECK (state IN ('granted', 'refused', 'withdrawn', 'opposed')),
  source      text COLLATE "C",
  proof       text COLLATE "C",
  recorded_at text COLLATE "C" NOT NULL
);
CREATE INDEX consents_customer ON consents (customer_id, channel, recorded_at);

-- Salted SHA-256 of identifiers of erased or opposed people: never their data.
CREATE TABLE suppressions (
  hash       text COLLATE "C" NOT NULL,
  kind       text COLLATE "C" NOT NULL CHECK (kind IN ('email', 'phone', 'siret')),
  channel    text COLLATE "C" NOT NULL DEFAULT 'all',
  reason     text COLLATE "C" NOT NULL CHECK (reason IN ('erased', 'opposed')),
  created_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (hash, channel)
);

CREATE TABLE merges (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  survivor_id bigint NOT NULL,
  merged_ids  text COLLATE "C" NOT NULL CHECK (merged_ids::json IS NOT NULL),
  score       double precision,
  snapshot    text COLLATE "C" NOT NULL CHECK (snapshot::json IS NOT NULL),
  decided_by  text COLLATE "C" NOT NULL DEFAULT 'person' CHECK (decided_by IN ('person', 'auto')),
  merged_at   text COLLATE "C" NOT NULL,
  undone_at   text COLLATE "C"
);
CREATE INDEX merges_survivor ON merges (survivor_id);

CREATE TABLE dedupe_decisions (
  uid_a      text COLLATE "C" NOT NULL,
  uid_b      text COLLATE "C" NOT NULL,
  decision   text COLLATE "C" NOT NULL DEFAULT 'distinct' CHECK (decision IN ('distinct')),
  decided_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (uid_a, uid_b),
  CHECK (uid_a < uid_b)
);

CREATE TABLE import_runs (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  file_name   text COLLATE "C" NOT NULL,
  sha256      text COLLATE "C" NOT NULL,
  what        text COLLATE "C" NOT NULL DEFAULT 'customers',
  source      text COLLATE "C",
  started_at  text COLLATE "C" NOT NULL,
  ended_at    text COLLATE "C",
  counts      text COLLATE "C" NOT NULL DEFAULT '{}' CHECK (counts::json IS NOT NULL),
  dry_run     integer NOT NULL DEFAULT 0
);

-- Which import runs brought or changed which customer (for access requests).
CREATE TABLE customer_import_runs (
  customer_id   bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  import_run_id bigint NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
  line          bigint,
  action        text COLLATE "C" NOT NULL CHECK (action IN ('inserted', 'updated')),
  PRIMARY KEY (customer_id, import_run_id)
);
CREATE INDEX customer_import_runs_run ON customer_import_runs (import_run_id);

-- The RGPD register of what was done. subject is a uid or a hash, never personal data.
CREATE TABLE audit_log (
  id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at      text COLLATE "C" NOT NULL,
  actor   text COLLATE "C",
  action  text COLLATE "C" NOT NULL,
  subject text COLLATE "C",
  details text COLLATE "C" NOT NULL DEFAULT '{}' CHECK (details::json IS NOT NULL)
);
CREATE INDEX audit_log_subject ON audit_log (subject);
CREATE INDEX audit_log_at ON audit_log (at);

-- Full text: FTS5 (unicode61, remove_diacritics 2) on SQLite; here a GIN index over a
-- tsvector of the folded text, no extension needed. ASCII punctuation splits words as
-- unicode61 does (the 'simple' parser would keep an e-mail or "jean-pierre" whole).
-- The index is over an expression of the row itself: deleting a person removes their
-- entry with the row, nothing to keep in sync.
CREATE FUNCTION carnet_fts_doc(a text, b text, c text, d text, e text, f text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN to_tsvector('simple'::regconfig, regexp_replace(
  carnet_fold(coalesce(a, '') || ' ' || coalesce(b, '') || ' ' || coalesce(c, '') || ' ' || coalesce(d, '') || ' ' || coalesce(e, '') || ' ' || coalesce(f, '')),
  '[!-/:-@[-`{-~]+', ' ', 'g'));
CREATE INDEX customers_fts ON customers USING gin (carnet_fts_doc(first_name, last_name, company_name, email, city, notes));

-- Customer columns plus derived facts, the one surface the filter language reads.
-- Sums are cast back to SQLite's types (integer cents, real euros); category names in
-- the order SQLite's group_concat gives them (by category id).
CREATE VIEW customer_facts AS
SELECT
  c.*,
  CASE
    WHEN c.postal_code IS NULL OR length(c.postal_code) < 2 THEN NULL
    WHEN substr(c.postal_code, 1, 2) = '97' OR substr(c.postal_code, 1, 2) = '98' THEN substr(c.postal_code, 1, 3)
    WHEN substr(c.postal_code, 1, 2) = '20' AND substr(c.postal_code, 1, 3) IN ('200', '201') THEN '2A'
    WHEN substr(c.postal_code, 1, 2) = '20' THEN '2B'
    ELSE substr(c.postal_code, 1, 2)
  END AS department,
  coalesce((SELECT sum(s.amount_cents) FROM sales s
            WHERE s.customer_id = c.id AND s.kind IN ('invoice', 'credit') AND s.status NOT IN ('cancelled', 'draft')), 0)::double precision / 100.0 AS revenue,
  (SELECT count(*) FROM sales s
    WHERE s.customer_id = c.id AND s.kind IN ('order', 'invoice') AND s.status NOT IN ('cancelled', 'draft', 'refused')) AS orders,
  (SELECT max(s.issued_on) FROM sales s
    WHERE s.customer_id = c.id AND s.kind IN ('order', 'invoice') AND s.status NOT IN ('cancelled', 'draft', 'refused')) AS last_purchase_at,
  coalesce((SELECT sum(s.amount_cents) FROM sales s
            WHERE s.customer_id = c.id AND s.kind = 'invoice' AND s.status = 'unpaid'), 0)::bigint AS unpaid_cents,
  (SELECT string_agg(cat.name, ',' ORDER BY cat.id) FROM categories cat
    WHERE cat.id IN (SELECT cc.category_id FROM customer_categories cc WHERE cc.customer_id = c.id)) AS categories
FROM customers c;
