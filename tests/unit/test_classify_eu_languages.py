"""Formal request letters in the nine official EU languages that were the last to get a clause
lexicon: Bulgarian, Estonian, Finnish, Irish, Hungarian, Lithuanian, Latvian, Maltese and
Slovenian. Each asks for access, erasure, rectification, an end to marketing, or only cites an
article of the GDPR; the controls ask for nothing (a negated wish, a question about the
policy). All people and addresses are invented."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify
from mailbot.classify.normalize import fold
from mailbot.classify.rules.article import _references
from mailbot.domain.kinds import RequestKind

A = RequestKind.ACCESS
C = RequestKind.CORRECTION
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE
KINDS = {A, C, E, U}

# (language, the kinds asked, the letter)
LETTERS = [
    # Finnish
    ("fi", {A}, "Hyvä vastaanottaja,\n\npyydän saada jäljennöksen kaikista minua koskevista "
                "henkilötiedoista, joita yrityksenne käsittelee.\n\nYstävällisin terveisin\n"
                "Aino Lehtinen\naino.lehtinen@example.org"),
    ("fi", {A}, "Hei,\n\npyydän pääsyä henkilötietoihini EU:n yleisen tietosuoja-asetuksen "
                "15 artiklan nojalla.\n\nTerveisin\nVeera Heikkinen"),
    ("fi", {E}, "Hei,\n\npyydän teitä poistamaan käyttäjätilini ja kaikki henkilötietoni "
                "rekistereistänne.\n\nTerveisin\nMikko Salonen"),
    ("fi", {C}, "Hyvä asiakaspalvelu,\n\nosoitteeni on muuttunut. Pyydän päivittämään "
                "rekisteriinne uuden osoitteeni: Kuusitie 4 B 12, 00270 Helsinki.\n\n"
                "Ystävällisesti\nLiisa Koskinen"),
    ("fi", {U}, "Hei,\n\nen halua enää vastaanottaa markkinointiviestejä. Pyydän, että "
                "lopetatte uutiskirjeiden lähettämisen minulle.\n\nTerveisin\nJussi Nieminen"),
    ("fi", {U}, "Hyvä vastaanottaja,\n\nvastustan henkilötietojeni käsittelyä "
                "suoramarkkinointia varten ja peruutan markkinointia koskevan suostumukseni."
                "\n\nYstävällisin terveisin\nSanna Järvinen"),
    ("fi", {E}, "Hyvä vastaanottaja,\n\nesitän tällä viestillä yleisen tietosuoja-asetuksen "
                "17 artiklan mukaisen pyynnön.\n\nYstävällisin terveisin\nHelena Mäkinen"),
    # Hungarian
    ("hu", {A}, "Tisztelt Hölgyem/Uram!\n\nKérem, tájékoztassanak arról, milyen személyes "
                "adataimat kezelik, és küldjenek nekem másolatot ezekről az adatokról.\n\n"
                "Tisztelettel:\nKovács Anna\nkovacs.anna@example.org"),
    ("hu", {E}, "Tisztelt Adatkezelő!\n\nKérem, töröljék a személyes adataimat a GDPR 17. "
                "cikke alapján.\n\nÜdvözlettel:\nNagy Péter"),
    ("hu", {E}, "Tisztelt Adatkezelő!\n\nKérem, hogy haladéktalanul töröljék a felhasználói "
                "fiókomat és az összes hozzá kapcsolódó személyes adatomat.\n\nÜdvözlettel:\n"
                "Varga Péter"),
    ("hu", {C}, "Tisztelt Ügyfélszolgálat!\n\nA nyilvántartásukban szereplő lakcímem már nem "
                "helyes. Kérem, javítsák ki az új címemre: 1118 Budapest, Minta utca 5.\n\n"
                "Köszönettel:\nSzabó Éva"),
    ("hu", {U}, "Tisztelt Címzett!\n\nKérem, ne küldjenek nekem több hírlevelet, és "
                "töröljenek a levelezőlistájukról.\n\nÜdvözlettel:\nTóth Gábor"),
    ("hu", {U}, "Tisztelt Adatkezelő!\n\nEzúton tiltakozom az ellen, hogy a személyes "
                "adataimat a jövőben közvetlen üzletszerzés céljára kezeljék. Egyúttal "
                "visszavonom a hírlevelekhez adott hozzájárulásomat is.\n\nTisztelettel:\n"
                "Farkas Zsófia"),
    ("hu", {A}, "Tisztelt Hölgyem/Uram!\n\nA GDPR 15. cikke alapján kérelmet nyújtok be "
                "Önökhöz.\n\nTisztelettel:\nHorváth Judit"),
    # Estonian
    ("et", {A}, "Lugupeetud vastuvõtja\n\nPalun saatke mulle koopia kõigist minu "
                "isikuandmetest, mida teie ettevõte töötleb.\n\nLugupidamisega\nKadri Tamm\n"
                "kadri.tamm@example.org"),
    ("et", {E}, "Tere\n\nPalun kustutage minu kasutajakonto ja kõik minuga seotud isikuandmed "
                "teie andmebaasist.\n\nParimate soovidega\nMarko Kask"),
    ("et", {C}, "Tere\n\nMinu aadress on muutunud. Palun parandage see oma registris, uus "
                "aadress on Pärnu mnt 10-5, 10148 Tallinn.\n\nLugupidamisega\nLiis Saar"),
    ("et", {U}, "Tere\n\nPalun lõpetage mulle uudiskirjade ja reklaampakkumiste saatmine. "
                "Ärge helistage mulle enam.\n\nLugupidamisega\nToomas Mets"),
    ("et", {U}, "Tere\n\nEsitan vastuväite oma isikuandmete töötlemisele otseturunduse "
                "eesmärgil ja võtan tagasi oma nõusoleku otseturunduseks.\n\nLugupidamisega\n"
                "Kristi Lepik"),
    ("et", {E}, "Lugupeetud vastuvõtja\n\nEsitan käesolevaga taotluse isikuandmete kaitse "
                "üldmääruse artikli 17 alusel.\n\nLugupidamisega\nPiret Kuusk"),
    # Latvian
    ("lv", {A}, "Labdien!\n\nLūdzu, izsniedziet man kopiju no visiem maniem personas datiem, "
                "ko jūsu uzņēmums apstrādā.\n\nAr cieņu\nLaura Kalniņa\n"
                "laura.kalnina@example.org"),
    ("lv", {E}, "Labdien!\n\nLūdzu, dzēsiet manu lietotāja kontu un visus ar mani saistītos "
                "personas datus.\n\nAr cieņu\nJānis Ozols"),
    ("lv", {E}, "Labdien!\n\nLūdzu dzēst manus personas datus saskaņā ar VDAR 17. pantu.\n\n"
                "Ar cieņu\nMārtiņš Zariņš"),
    ("lv", {C}, "Labdien!\n\nMana adrese jūsu sistēmā ir nepareiza. Lūdzu, izlabojiet to uz "
                "jauno adresi: Brīvības iela 100-7, Rīga.\n\nAr cieņu\nIlze Liepa"),
    ("lv", {U}, "Labdien!\n\nLūdzu, pārtrauciet sūtīt man jaunumu vēstules un reklāmas "
                "piedāvājumus. Lūdzu, vairs nezvaniet man.\n\nAr cieņu\nAndris Bērziņš"),
    ("lv", {U}, "Labdien!\n\nIebilstu pret savu personas datu apstrādi tiešās tirgvedības "
                "nolūkos un atsaucu savu piekrišanu.\n\nAr cieņu\nAgnese Ozoliņa"),
    ("lv", {A}, "Labdien!\n\nIesniedzu pieprasījumu saskaņā ar Vispārīgās datu aizsardzības "
                "regulas 15. pantu.\n\nAr cieņu\nDace Krūmiņa"),
    # Lithuanian
    ("lt", {A}, "Laba diena,\n\nprašau pateikti man visų mano asmens duomenų, kuriuos tvarko "
                "jūsų įmonė, kopiją.\n\nPagarbiai\nRūta Kazlauskienė\n"
                "ruta.kazlauskiene@example.org"),
    ("lt", {E}, "Laba diena,\n\nprašau ištrinti mano paskyrą ir visus su manimi susijusius "
                "asmens duomenis.\n\nPagarbiai\nTomas Jankauskas"),
    ("lt", {C}, "Laba diena,\n\njūsų sistemoje nurodytas mano adresas yra neteisingas. Prašau "
                "jį ištaisyti, mano naujas adresas: Gedimino g. 10, Vilnius.\n\nPagarbiai\n"
                "Aušra Petrauskienė"),
    ("lt", {U}, "Laba diena,\n\nprašau nebesiųsti man naujienlaiškių ir reklaminių pasiūlymų."
                "\n\nPagarbiai\nMantas Vaitkus"),
    ("lt", {U}, "Laba diena,\n\nprieštarauju, kad mano asmens duomenys būtų tvarkomi "
                "tiesioginės rinkodaros tikslais, ir atšaukiu savo sutikimą.\n\nPagarbiai\n"
                "Eglė Stankevičienė"),
    ("lt", {E}, "Laba diena,\n\npateikiu prašymą pagal BDAR 17 straipsnį.\n\nPagarbiai\n"
                "Gintarė Žukauskaitė"),
    # Slovenian
    ("sl", {A}, "Spoštovani,\n\nprosim, da mi posredujete kopijo vseh osebnih podatkov, ki "
                "jih o meni obdelujete.\n\nLep pozdrav,\nMaja Novak\nmaja.novak@example.org"),
    ("sl", {E}, "Spoštovani,\n\nprosim za izbris mojih osebnih podatkov v skladu s 17. členom "
                "GDPR.\n\nLep pozdrav,\nLuka Horvat"),
    ("sl", {E}, "Spoštovani,\n\nprosim, da izbrišete moj uporabniški račun in vse moje "
                "osebne podatke iz vaših evidenc.\n\nLep pozdrav,\nMatej Kranjc"),
    ("sl", {C}, "Spoštovani,\n\nv vaši evidenci je moj naslov napačen. Prosim, popravite ga "
                "v: Slovenska cesta 10, 1000 Ljubljana.\n\nLep pozdrav,\nNina Kovač"),
    ("sl", {U}, "Spoštovani,\n\nprosim, da mi ne pošiljate več e-novic in reklamnih sporočil. "
                "Želim se odjaviti.\n\nLep pozdrav,\nJan Zupan"),
    ("sl", {U}, "Spoštovani,\n\nugovarjam obdelavi mojih osebnih podatkov za namene "
                "neposrednega trženja in preklicujem svojo privolitev.\n\nLep pozdrav,\n"
                "Tina Golob"),
    ("sl", {A}, "Spoštovani,\n\nna podlagi 15. člena Splošne uredbe o varstvu podatkov "
                "vlagam zahtevo.\n\nLep pozdrav,\nPetra Krajnc"),
    # Irish
    ("ga", {A}, "A chara,\n\nIarraim oraibh cóip de na sonraí pearsanta go léir atá agaibh "
                "fúm a sheoladh chugam.\n\nIs mise le meas,\nSiobhán Ní Bhriain\n"
                "siobhan.nibhriain@example.org"),
    ("ga", {E}, "A chara,\n\nIarraim oraibh mo chuntas agus mo shonraí pearsanta go léir a "
                "scriosadh ó bhur gcórais.\n\nLe meas,\nCiarán Ó Súilleabháin"),
    ("ga", {C}, "A chara,\n\nTá mo sheoladh mícheart in bhur dtaifid. Iarraim oraibh é a "
                "cheartú; is é mo sheoladh nua ná 12 Bóthar na Trá, Gaillimh.\n\nLe meas,\n"
                "Aoife Nic Dhonncha"),
    ("ga", {U}, "A chara,\n\nBa mhaith liom díliostáil ón nuachtlitir. Ná seolaigí fógraí "
                "chugam níos mó.\n\nLe meas,\nDónall Mac Cárthaigh"),
    ("ga", {U}, "A chara,\n\nDéanaim agóid i gcoinne phróiseáil mo shonraí chun críocha "
                "margaíochta dírí agus tarraingím siar mo thoiliú.\n\nLe meas,\nCaoimhe Ní Riain"),
    ("ga", {E}, "A chara,\n\nIs iarratas é seo faoi Airteagal 17 den RGCS.\n\nLe meas,\n"
                "Niamh Breathnach"),
    # Maltese
    ("mt", {A}, "Għażiż Sinjur/Sinjura,\n\nNitlob kopja tad-data personali kollha tiegħi li "
                "għandkom.\n\nTislijiet,\nMaria Camilleri\nmaria.camilleri@example.org"),
    ("mt", {E}, "Għażiż Sinjur/Sinjura,\n\nJekk jogħġbok ħassru l-kont tiegħi u d-data "
                "personali kollha tiegħi mis-sistemi tagħkom.\n\nTislijiet,\nJoseph Farrugia"),
    ("mt", {C}, "Għażiż Sinjur/Sinjura,\n\nL-indirizz tiegħi fir-rekords tagħkom mhux korrett. "
                "Nitlob li tikkoreġuh għal 12, Triq il-Kbira, Ħal Qormi.\n\nTislijiet,\n"
                "Rita Zammit"),
    ("mt", {U}, "Għażiż Sinjur/Sinjura,\n\nJekk jogħġbok tibagħtulix aktar newsletters u "
                "reklami.\n\nTislijiet,\nPaul Borg"),
    ("mt", {U}, "Għażiż Sinjur/Sinjura,\n\nNoġġezzjona għall-ipproċessar tad-data personali "
                "tiegħi għal skopijiet ta' kummerċjalizzazzjoni diretta u nirtira l-kunsens "
                "tiegħi.\n\nTislijiet,\nCarmen Grech"),
    ("mt", {A}, "Għażiż Sinjur/Sinjura,\n\nQed nagħmel talba skont l-Artikolu 15 tal-GDPR.\n\n"
                "Tislijiet,\nAnna Vella"),
    # Bulgarian
    ("bg", {A}, "Уважаеми госпожи и господа,\n\nМоля да ми предоставите копие от личните ми "  # noqa: RUF001
                "данни, които обработвате.\n\nС уважение,\nМария Иванова\n"  # noqa: RUF001
                "maria.ivanova@example.org"),
    ("bg", {E}, "Уважаеми госпожи и господа,\n\nМоля да изтриете профила ми и всички мои "  # noqa: RUF001
                "лични данни от вашата система.\n\nС уважение,\nГеорги Димитров"),  # noqa: RUF001
    ("bg", {C}, "Уважаеми госпожи и господа,\n\nАдресът ми във вашата система е грешен. Моля, "  # noqa: RUF001
                "коригирайте го на ул. Витоша 15, София.\n\nС уважение,\n"  # noqa: RUF001
                "Елена Стоянова"),
    ("bg", {U}, "Уважаеми госпожи и господа,\n\nМоля, не ми изпращайте повече бюлетини и "  # noqa: RUF001
                "рекламни съобщения.\n\nС уважение,\nНиколай Георгиев"),  # noqa: RUF001
    ("bg", {U}, "Уважаеми госпожи и господа,\n\nВъзразявам срещу обработването на личните ми "  # noqa: RUF001
                "данни за целите на директния маркетинг и оттеглям съгласието си.\n\n"
                "С уважение,\nСветла Колева"),  # noqa: RUF001
    ("bg", {E}, "Уважаеми госпожи и господа,\n\nПодавам искане по член 17 от ОРЗД.\n\n"  # noqa: RUF001
                "С уважение,\nДесислава Петрова"),  # noqa: RUF001
]


@pytest.mark.parametrize(("lang", "kinds", "body"), LETTERS,
                         ids=[f"{x[0]}-{i}" for i, x in enumerate(LETTERS)])
def test_a_formal_letter_is_read(lang: str, kinds: set[RequestKind], body: str) -> None:
    verdict = classify(mail(body))
    assert verdict.language == lang
    assert set(verdict.kinds) & KINDS == kinds


# (language, a letter that asks for nothing: a negated wish, or a question about the policy)
CONTROLS = [
    ("fi", "Hei,\n\nen halua, että tietojani poistetaan. Olen edelleen tyytyväinen "
           "asiakkaanne.\n\nTerveisin\nPekka Laine"),
    ("fi", "Hei,\n\nkuinka kauan säilytätte asiakkaiden henkilötietoja asiakkuuden päättymisen "
           "jälkeen?\n\nTerveisin\nOlli Virtanen"),
    ("hu", "Tisztelt Ügyfélszolgálat!\n\nNem szeretném, hogy töröljék az adataimat, továbbra "
           "is az ügyfelük maradok.\n\nÜdvözlettel:\nMolnár László"),
    ("hu", "Tisztelt Ügyfélszolgálat!\n\nMennyi ideig őrzik meg az ügyfelek személyes adatait "
           "az ügyfélkapcsolat megszűnése után?\n\nÜdvözlettel:\nBalogh Krisztina"),
    ("et", "Tere\n\nMa ei soovi, et minu andmed kustutataks. Jätkan teie teenuse kasutamist."
           "\n\nLugupidamisega\nJaan Sepp"),
    ("et", "Tere\n\nKui kaua te säilitate klientide isikuandmeid pärast kliendisuhte lõppu?"
           "\n\nLugupidamisega\nKatrin Raud"),
    ("lv", "Labdien!\n\nEs nevēlos, lai mani dati tiktu dzēsti. Turpināšu izmantot jūsu "
           "pakalpojumus.\n\nAr cieņu\nRoberts Kļaviņš"),
    ("lv", "Labdien!\n\nCik ilgi jūs glabājat klientu personas datus pēc sadarbības beigām?"
           "\n\nAr cieņu\nSanta Vītola"),
    ("lt", "Laba diena,\n\nnenoriu, kad mano duomenys būtų ištrinti, nes ir toliau naudojuosi "
           "jūsų paslaugomis.\n\nPagarbiai\nDarius Kairys"),
    ("lt", "Laba diena,\n\nkiek laiko saugote klientų asmens duomenis, kai bendradarbiavimas "
           "baigiasi?\n\nPagarbiai\nLina Urbonaitė"),
    ("sl", "Spoštovani,\n\nne želim, da se moji podatki izbrišejo, saj bom vaše storitve še "
           "naprej uporabljal.\n\nLep pozdrav,\nMarko Vidmar"),
    ("sl", "Spoštovani,\n\nkako dolgo hranite osebne podatke strank po koncu sodelovanja?\n\n"
           "Lep pozdrav,\nAna Kos"),
    ("ga", "A chara,\n\nNíl mé ag iarraidh go scriosfaí mo shonraí, táim sásta leis an "
           "tseirbhís.\n\nLe meas,\nSeán Ó Murchú"),
    ("ga", "A chara,\n\nCé chomh fada a choinníonn sibh sonraí pearsanta custaiméirí?\n\n"
           "Le meas,\nMáire Ní Cheallaigh"),
    ("mt", "Għażiż Sinjur/Sinjura,\n\nMa rridx li d-data tiegħi titħassar, għadni klijent "
           "tagħkom.\n\nTislijiet,\nMark Galea"),
    ("mt", "Għażiż Sinjur/Sinjura,\n\nKemm iż-żmien iżżommu d-data personali tal-klijenti?"
           "\n\nTislijiet,\nClaire Spiteri"),
    ("bg", "Уважаеми госпожи и господа,\n\nНе искам личните ми данни да бъдат изтрити, "  # noqa: RUF001
           "оставам ваш клиент.\n\nС уважение,\nПетър Николов"),  # noqa: RUF001
    ("bg", "Уважаеми госпожи и господа,\n\nКолко дълго съхранявате личните данни на "  # noqa: RUF001
           "клиентите си?\n\nС уважение,\nАнна Тодорова"),  # noqa: RUF001
]


@pytest.mark.parametrize(("lang", "body"), CONTROLS,
                         ids=[f"{x[0]}-{i}" for i, x in enumerate(CONTROLS)])
def test_a_letter_that_asks_nothing_is_no_request(lang: str, body: str) -> None:
    verdict = classify(mail(body))
    assert verdict.language == lang
    assert not set(verdict.kinds) & KINDS


# (the folded text, the article number it names): the number before the word, the law
# before it, or a word that is not "art..." or "cl..."
REFERENCES = [
    ("a gdpr 17. cikke alapjan", "17"),
    ("az altalanos adatvedelmi rendelet 15. cikkeben", "15"),
    ("tietosuoja-asetuksen 15 artiklan nojalla", "15"),
    ("gdpr:n 17 artikla", "17"),
    ("v skladu s 17. clenom gdpr", "17"),
    ("clen 15 splosne uredbe o varstvu podatkov", "15"),
    ("saskana ar vdar 15. pantu", "15"),
    ("pagal bdar 17 straipsni", "17"),
    ("isikuandmete kaitse uldmaaruse artikli 15 alusel", "15"),
    ("faoi airteagal 17 den rgcs", "17"),
    ("skont l-artikolu 16 tal-gdpr", "16"),
    ("saglasno chlen 17 ot orzd", "17"),
    # the languages read before keep their references
    ("op grond van artikel 15 avg", "15"),
    ("gemass art. 17 dsgvo", "17"),
    ("under article 16 of the gdpr", "16"),
    ("podle clanku 15 gdpr", "15"),
]


@pytest.mark.parametrize(("text", "number"), REFERENCES, ids=[r[0] for r in REFERENCES])
def test_an_article_reference_is_read(text: str, number: str) -> None:
    assert [r.number for r in _references(text)] == [number]


@pytest.mark.parametrize("text", [
    "a 17. cikk szerint",  # no law named
    "artikla 15 ei koske minua",
    "15 artiklan mukaan",
    "gdpr. 17 artikla",  # a sentence ends between them
    "2016/679 15 straipsnis",
])
def test_an_article_without_its_law_is_no_reference(text: str) -> None:
    assert _references(fold(text)) == []


@pytest.mark.parametrize(("text", "kind"), [
    ("a gdpr 21. cikk (2) bekezdese alapjan", U),
    ("bdar 21 straipsnio 2 dalis", U),
    ("vdar 21. panta 2. punkts", U),
    ("airteagal 21(2) den rgcs", U),
])
def test_article_21_2_is_an_objection_to_marketing(text: str, kind: RequestKind) -> None:
    (ref,) = _references(text)
    assert (ref.number, ref.paragraph) == ("21", "2")
