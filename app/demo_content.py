"""Dutch demo content for `flask kring seed-demo`: the space "Grip op je geld".

Pure data (space, working agreements, people and threads); no logic.
"""

from __future__ import annotations

SPACE = {
    "slug": "grip-op-je-geld",
    "name": "Grip op je geld",
    "theme": "Geldzorgen en schulden",
    "description": (
        "Een groep voor mensen met geldzorgen of schulden. Samen leren we overzicht "
        "te krijgen, delen we tips en steunen we elkaar tussen de bijeenkomsten door."
    ),
    "renter": "Welzijn Rivierenland",
    "seat_limit": 20,
}

AGREEMENT = """\
- **Wat in de groep gezegd wordt, blijft in de groep.** We praten buiten de groep niet over wat anderen hier delen, ook niet zonder namen.
- **We gaan met respect met elkaar om.** Iedereen heeft een eigen verhaal. We luisteren, we oordelen niet en we geven alleen advies als iemand daarom vraagt.
- **Geen screenshots, foto's of opnames.** Niet van berichten en niet van de bijeenkomsten.
- **Je komt naar de bijeenkomsten of je meldt je af.** Lukt het een keer niet? Laat het de begeleiders dan vooraf weten.
- **Geen privéberichten tussen deelnemers.** Wil je iets persoonlijks kwijt of heb je een vraag? Schrijf dan de begeleiders.
- **We verkopen niets aan elkaar en lenen elkaar geen geld.** Ook niet als je het goed bedoelt. Tips en steun delen mag natuurlijk wel.
- **Maak je je zorgen over iemand?** Bel of mail de begeleider. Gaat het echt niet goed met jezelf of een ander, bel dan 113 Zelfmoordpreventie (gratis: 0800-0113) of je huisarts. Bij direct gevaar bel je 112.
"""

PEOPLE = {
    "facilitator": {
        "email": "begeleider@example.org",
        "display_name": "Marieke (begeleider)",
        "role": "facilitator",
    },
    "cofacilitator": {
        "email": "co@example.org",
        "display_name": "Ruud (ervaringsdeskundige)",
        "role": "cofacilitator",
    },
    "m1": {"email": "deelnemer1@example.org", "display_name": "Sanne", "role": "member"},
    "m2": {"email": "deelnemer2@example.org", "display_name": "Hamid", "role": "member"},
    "m3": {"email": "deelnemer3@example.org", "display_name": "Petra", "role": "member"},
    "m4": {"email": "deelnemer4@example.org", "display_name": "Dennis", "role": "member"},
    "m5": {"email": "deelnemer5@example.org", "display_name": "Yasmina", "role": "member"},
    "m6": {"email": "deelnemer6@example.org", "display_name": "Wim", "role": "member"},
}

THREADS = [
    # ------------------------------------------------------------------ announcements
    {
        "kind": "announcement",
        "author": "facilitator",
        "title": "Welkom in Grip op je geld!",
        "posts": [
            (
                "facilitator",
                "Hoi allemaal, fijn dat jullie er zijn!\n\n"
                "Ik ben Marieke, sociaal werker bij Welzijn Rivierenland. Samen met Ruud begeleid ik "
                "deze groep. Ruud heeft zelf jaren schulden gehad en weet hoe dat voelt.\n\n"
                "Hier kun je tussen de bijeenkomsten door vragen stellen, tips delen en laten weten "
                "hoe het gaat. Lees eerst even de **werkafspraken**. Stel je daarna gerust kort voor "
                "onder dit bericht. Je hoeft niet te vertellen hoeveel schuld je hebt, alleen wat je wilt.",
            ),
            (
                "m1",
                "Hoi, ik ben Sanne. Moeder van twee kinderen en ik werk parttime in de thuiszorg. "
                "Ik wil vooral weer overzicht. Nu stop ik alle post in een la en dat is niet goed 🙈",
            ),
            (
                "m3",
                "Hallo allemaal, Petra hier. Sinds mijn scheiding loopt het financieel niet lekker. "
                "Ik vind het best spannend om hier te schrijven, maar ik doe het toch.",
            ),
            (
                "m2",
                "Goedemiddag. Ik ben Hamid. Ik heb een eigen zaak gehad en die is gestopt. "
                "Daar zijn schulden van overgebleven. Ik wil leren hoe ik het nu beter kan doen.",
            ),
            (
                "m6",
                "Wim, 63 jaar. Mijn vrouw deed altijd de administratie. Sinds ze overleden is, "
                "snap ik er weinig van. Mijn dochter zei: ga nou eens naar die groep. Dus hier ben ik.",
            ),
            (
                "m5",
                "Hoi! Yasmina, alleenstaande moeder van een dochter van 7. Ik ben blij dat ik niet de enige ben.",
            ),
            (
                "m4",
                "Dennis. 29. Vooral veel kleine schulden, telefoon, webshops, dat soort dingen. Ik lees vooral mee denk ik.",
            ),
            (
                "cofacilitator",
                "Welkom allemaal, mooi om jullie voorstelrondje te lezen. Dennis, meelezen is ook "
                "helemaal prima. Ik weet nog dat ik de eerste weken ook alleen maar meelas.",
            ),
        ],
    },
    {
        "kind": "announcement",
        "author": "facilitator",
        "title": "Rooster van de komende bijeenkomsten",
        "posts": [
            (
                "facilitator",
                "We komen zes keer bij elkaar, elke dinsdagavond van **19.30 tot 21.00 uur** in "
                "buurthuis De Wissel. Koffie en thee staan klaar.\n\n"
                "- Bijeenkomst 1: kennismaken en waar sta je nu?\n"
                "- Bijeenkomst 2: inkomsten en vaste lasten op een rij\n"
                "- Bijeenkomst 3: boodschappen en dagelijkse uitgaven\n"
                "- Bijeenkomst 4: post, brieven en schuldeisers\n"
                "- Bijeenkomst 5: feestdagen, kinderen en nee zeggen\n"
                "- Bijeenkomst 6: terugkijken en hoe verder?\n\n"
                "Kun je een keer niet? Meld je dan af bij mij of bij Ruud. Een bericht hier mag ook.",
            ),
            (
                "m5",
                "Ik moet me afmelden voor bijeenkomst 3. Mijn dochter heeft dan een schoolavond. Sorry!",
            ),
            (
                "facilitator",
                "Dank je voor het laten weten, Yasmina. Ik stuur je daarna een kort verslag.",
            ),
        ],
    },
    # ------------------------------------------------------------------ assignments
    {
        "kind": "assignment",
        "author": "facilitator",
        "title": "Huiswerk: houd een week je uitgaven bij",
        "posts": [
            (
                "facilitator",
                "De opdracht voor deze week is simpel, maar niet altijd makkelijk:\n\n"
                "1. Schrijf een week lang **alles** op wat je uitgeeft. Ook de koffie bij het "
                "tankstation en het pakje kauwgom.\n"
                "2. Bewaar je bonnetjes of maak er een foto van voor jezelf.\n"
                "3. Zet aan het eind van de week de uitgaven in groepjes: boodschappen, vervoer, "
                "kinderen, roken, uit eten, overig.\n"
                "4. Kijk wat je opvalt. Wat verraste je? Waar ben je blij mee?\n\n"
                "Het gaat er niet om dat je het perfect doet. Het gaat erom dat je gaat zien waar je "
                "geld blijft. Deel hieronder gerust wat je opviel, bedragen noemen hoeft niet.",
            ),
            (
                "m1",
                "Dag 3 en ik ben nu al geschrokken. Ik haal bijna elke dag iets kleins bij de "
                "supermarkt na mijn werk. Los is het niks, bij elkaar best veel.",
            ),
            (
                "m4",
                "Bij mij zijn het vooral bezorgmaaltijden. Als ik moe ben bestel ik gewoon. "
                "Drie keer deze week al 😬",
            ),
            (
                "m3",
                "Ik had gedacht dat ik vooral aan boodschappen kwijt was. Maar de benzine is bij mij "
                "het grootst. Ik rijd vaak heen en weer voor de kinderen.",
            ),
            (
                "m6",
                "Ik vond het lastig om alles op te schrijven. Ik vergat het steeds. Nu heb ik een "
                "schriftje bij de sleutels gelegd, dat helpt.",
            ),
            (
                "m5",
                "Goed idee Wim, dat ga ik ook doen. Ik had het op mijn telefoon maar daar kijk ik "
                "dan niet meer naar.",
            ),
            (
                "m2",
                "Ik doe het al een paar maanden. Wat mij opviel: in het weekend geef ik het dubbele "
                "uit van een doordeweekse dag. Daar ga ik op letten.",
            ),
            (
                "cofacilitator",
                "Mooi dat jullie eerlijk zijn over wat je ziet. Schrikken hoort erbij. Bij mij "
                "waren het de sigaretten en de blikjes energiedrank. Pas toen ik het zwart op wit "
                "zag, kon ik er iets aan doen.",
            ),
        ],
    },
    {
        "kind": "assignment",
        "author": "cofacilitator",
        "title": "Huiswerk: maak een lijstje van je vaste lasten",
        "posts": [
            (
                "cofacilitator",
                "Voor bijeenkomst 2 vragen we je om een lijstje te maken van je **vaste lasten**. "
                "Dat zijn de kosten die elke maand (of elk jaar) terugkomen.\n\n"
                "1. Pak je bankafschriften van de afgelopen drie maanden erbij.\n"
                "2. Schrijf alles op wat automatisch wordt afgeschreven: huur, energie, water, "
                "zorgverzekering, telefoon, internet, verzekeringen, abonnementen.\n"
                "3. Vergeet de kosten per jaar of per kwartaal niet, zoals gemeentelijke belastingen "
                "of de waterschapsbelasting.\n"
                "4. Zet erachter wanneer het van je rekening gaat.\n"
                "5. Zet een sterretje bij wat je misschien kunt opzeggen of verlagen.\n\n"
                "Neem het lijstje mee naar de bijeenkomst. Lukt het niet helemaal? Neem dan mee wat "
                "je hebt, dan kijken we samen verder.",
            ),
            (
                "m6",
                "Ik wist niet eens dat ik nog een verzekering had voor een telefoon die al twee jaar kapot is. "
                "Die gaat eruit!",
            ),
            (
                "m1",
                "Wat een klus zeg. Maar het voelt wel goed om het op een rij te hebben. "
                "Huur en energie zijn de grootste posten.",
            ),
            (
                "m4",
                "Vraagje: horen de afbetalingen van mijn telefoon ook bij vaste lasten?",
            ),
            (
                "cofacilitator",
                "Ja Dennis, zet ze erbij. Alles wat elke maand terugkomt. Zet er eventueel apart bij "
                "tot wanneer het loopt, dan weet je wanneer er ruimte komt.",
            ),
            (
                "m3",
                "Tip voor wie het lastig vindt: ik heb het met een markeerstift op mijn afschriften "
                "gedaan. Geel voor vaste lasten, roze voor de rest. Toen zag ik het ineens.",
            ),
            (
                "m5",
                "Ik ben er nog niet aan begonnen. Het voelt zo groot. Ik probeer het zondag als mijn "
                "dochter bij haar oma is.",
            ),
        ],
    },
    # ------------------------------------------------------------------ statements
    {
        "kind": "statement",
        "author": "facilitator",
        "title": "Stelling: over geld praat je niet",
        "posts": [
            (
                "facilitator",
                "Veel mensen zijn opgegroeid met het idee dat je over geld niet praat. Niet met "
                "familie, niet met vrienden en zeker niet met de buren.\n\n"
                "**Stelling: over geld praat je niet.** Ben je het eens of oneens? En waarom?",
            ),
            (
                "m6",
                "Eens, eigenlijk. Zo ben ik opgevoed. Je lost het zelf op. Maar ik zie ook dat ik "
                "daardoor nu alleen sta met alles.",
            ),
            (
                "m5",
                "Oneens! Als ik eerder had gepraat, was het nooit zo groot geworden. "
                "Ik schaamde me te veel.",
            ),
            (
                "m2",
                "In mijn familie praat je er wel over, maar dan moet je het ook meteen oplossen. "
                "Dat geeft ook druk. Ik vind het fijn dat het hier zonder oordeel kan.",
            ),
            (
                "m3",
                "Ik denk dat het ligt aan met wie. Met mijn zus wel, met mijn collega's echt niet.",
            ),
            (
                "m4",
                "Mijn vrienden praten alleen over geld als ze iets nieuws hebben gekocht. "
                "Dus ik zeg gewoon niks.",
            ),
            (
                "m1",
                "Herkenbaar Dennis. Ik doe vaak alsof het goed gaat. Dat kost ook energie.",
            ),
            (
                "cofacilitator",
                "Ik heb jaren niks gezegd, ook niet tegen mijn partner. Toen ik het eindelijk "
                "vertelde, was de opluchting groter dan de schaamte. Je hoeft het niet aan iedereen "
                "te vertellen. Maar één persoon die het weet, maakt al veel verschil.",
            ),
        ],
    },
    {
        "kind": "statement",
        "author": "cofacilitator",
        "title": "Stelling: achteraf betalen is eigenlijk gewoon lenen",
        "posts": [
            (
                "cofacilitator",
                "Bij veel webshops kun je 'achteraf betalen' of in drie delen betalen. Het lijkt "
                "handig en het kost niks extra. Maar als je te laat bent, komen er kosten bij.\n\n"
                "**Stelling: achteraf betalen is eigenlijk gewoon lenen.** Wat vinden jullie?",
            ),
            (
                "m4",
                "Eens. Ik weet het uit ervaring 😅 Vijf kleine bedragen tegelijk en dan vergeet je er één. "
                "Voor je het weet zit het bij een incassobureau.",
            ),
            (
                "m1",
                "Half eens. Voor een winterjas voor mijn zoon was het echt een uitkomst. "
                "Maar ik moet het niet te vaak doen.",
            ),
            (
                "m3",
                "Eens. Het voelt alsof je het gratis krijgt. Dat is het gevaarlijke eraan.",
            ),
            (
                "m2",
                "Lenen is het zeker. Alleen noemen ze het anders zodat het minder eng klinkt.",
            ),
            (
                "m6",
                "Ik doe nooit iets via internet, dus ik heb er geen last van. Maar mijn kleinzoon wel, "
                "denk ik.",
            ),
            (
                "m4",
                "Ik heb de app nu van mijn telefoon gehaald. Dan moet ik er in ieder geval even over nadenken.",
            ),
        ],
    },
    # ------------------------------------------------------------------ discussions
    {
        "kind": "discussion",
        "author": "m1",
        "title": "Brief van een incassobureau, wat nu?",
        "posts": [
            (
                "m1",
                "Vandaag kreeg ik een brief van een incassobureau. Het gaat om een oude rekening van "
                "de sportschool. Het bedrag is bijna twee keer zo hoog geworden door de kosten. "
                "Ik schrok me rot. Moet ik dit nu meteen betalen?",
            ),
            (
                "m2",
                "Niet in paniek raken Sanne. Kijk eerst of de rekening klopt. Vraag om een "
                "specificatie: waar bestaat het bedrag precies uit?",
            ),
            (
                "m4",
                "Ik heb ook zo'n brief gehad. Ik heb gebeld en gevraagd om een **betalingsregeling**. "
                "Dat mocht gewoon. Nu betaal ik elke maand een klein bedrag.",
            ),
            (
                "m1",
                "Dat wist ik niet, dat je dat gewoon kunt vragen. Moet dat per telefoon?",
            ),
            (
                "m4",
                "Kan ook per mail. Dat vond ik eigenlijk fijner, dan heb je het ook op papier.",
            ),
            (
                "cofacilitator",
                "Goede tips. Nog eentje: spreek alleen een bedrag af dat je echt elke maand kunt "
                "missen. Liever een kleine regeling die je volhoudt dan een grote die na twee maanden "
                "misgaat. En bewaar alle brieven in één map.",
            ),
            (
                "m3",
                "En als je er niet uitkomt, kun je ook naar de schuldhulpverlening van de gemeente. "
                "Die kunnen soms meekijken of de kosten wel mogen.",
            ),
            (
                "m1",
                "Dank jullie wel. Ik ga morgen mailen. Ik voel me al iets rustiger.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m2",
        "title": "Ervaring met een budgetcoach?",
        "posts": [
            (
                "m2",
                "Mijn consulent heeft voorgesteld om een budgetcoach te nemen. Heeft iemand daar "
                "ervaring mee? Ik ben bang dat ik dan niks meer zelf mag beslissen.",
            ),
            (
                "m3",
                "Ik heb sinds twee maanden een budgetcoach, een vrijwilliger. Hij beslist niks voor "
                "mij. Hij kijkt mee en helpt me met een plan. Ik vind het juist fijn.",
            ),
            (
                "m6",
                "Mijn budgetcoach heeft me geholpen met alle toeslagen. Daar had ik geen verstand van. "
                "Ze komt eens in de twee weken langs met koffie en een map.",
            ),
            (
                "cofacilitator",
                "Een budgetcoach is iets anders dan bewindvoering, Hamid. Bij een budgetcoach houd "
                "je zelf je geld en je eigen beslissingen. Je krijgt vooral hulp bij overzicht en "
                "bij lastige brieven.",
            ),
            (
                "m2",
                "Dat stelt me gerust. Dan ga ik het toch proberen.",
            ),
            (
                "m5",
                "Laat je even weten hoe het eerste gesprek was? Ik twijfel er ook over.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m3",
        "title": "Boodschappen plannen met een weekmenu",
        "posts": [
            (
                "m3",
                "Ik ben begonnen met een weekmenu. Op zondag schrijf ik op wat we eten en maak ik "
                "een lijstje. Ik ga nu één keer per week naar de supermarkt in plaats van elke dag. "
                "Wie doet dit ook? Ik zoek nog goedkope recepten!",
            ),
            (
                "m5",
                "Ik! Een vast recept bij ons: pasta met linzen en tomatensaus. Goedkoop, gezond en "
                "mijn dochter lust het.",
            ),
            (
                "m1",
                "Soep! Een grote pan groentesoep van de groenten die bijna over datum zijn. "
                "Twee avonden eten voor weinig.",
            ),
            (
                "m6",
                "Ik kook voor één persoon, dat vind ik lastig. Alles is in grote verpakkingen.",
            ),
            (
                "m3",
                "Wim, kook gewoon voor drie dagen en vries de rest in. Dan heb je ook een keer "
                "een 'kant-en-klaar' maaltijd van jezelf 😊",
            ),
            (
                "m6",
                "Dat is een goede. Ik heb nog bakjes genoeg van vroeger.",
            ),
            (
                "m2",
                "Ik kijk altijd eerst wat er in de aanbieding is en maak dan pas het menu. "
                "Niet andersom.",
            ),
            (
                "m4",
                "Ik ga het proberen. Scheelt hopelijk ook die bezorgmaaltijden.",
            ),
            (
                "m5",
                "Extra tip: nooit met honger naar de winkel. Dan ligt er ineens van alles in je karretje.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m4",
        "title": "Energierekening omhoog, voorschot aanpassen?",
        "posts": [
            (
                "m4",
                "Mijn energieleverancier wil het maandbedrag verhogen. Ik kan dat eigenlijk niet "
                "betalen. Kan ik gewoon zeggen dat ik minder wil betalen?",
            ),
            (
                "m2",
                "Je kunt het voorschot zelf aanpassen, maar pas op. Als je te weinig betaalt, "
                "krijg je aan het eind van het jaar een grote eindafrekening.",
            ),
            (
                "m3",
                "Ik heb vorig jaar een eindafrekening gehad van een paar honderd euro. "
                "Dat wil je echt niet. Toen heb ik een betalingsregeling gevraagd bij de leverancier.",
            ),
            (
                "m1",
                "Kijk ook of je energie kunt besparen. Bij ons in de gemeente komt er gratis een "
                "energiecoach langs. Die gaf tips en een paar ledlampen en tochtstrips.",
            ),
            (
                "m4",
                "Een energiecoach, dat kende ik niet. Waar moet ik dat aanvragen?",
            ),
            (
                "facilitator",
                "Dennis, dat kan via het loket van Welzijn Rivierenland. Stuur mij maar een bericht, "
                "dan geef ik je het nummer.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m5",
        "title": "Verjaardag van mijn dochter komt eraan",
        "posts": [
            (
                "m5",
                "Over een maand wordt mijn dochter 8. Ze wil een feestje met de hele klas, "
                "zoals haar vriendinnetjes ook hadden. Ik wil haar niet teleurstellen, "
                "maar dat kan ik echt niet betalen. Hoe doen jullie dat?",
            ),
            (
                "m1",
                "Wij doen een feestje thuis met vier kinderen. Pannenkoeken bakken en een speurtocht "
                "in het park. Ze vonden het geweldig en het kostte bijna niks.",
            ),
            (
                "m3",
                "Stichting Jarige Job! Die geven een verjaardagsbox voor kinderen als het geld krap is. "
                "Vraag het aan via de school of het maatschappelijk werk.",
            ),
            (
                "m5",
                "Dat kende ik niet! Wat lief.",
            ),
            (
                "m6",
                "Bij mijn kleinkinderen is een disco in de woonkamer altijd een succes. "
                "Muziek aan, lampjes uit, klaar.",
            ),
            (
                "m2",
                "Trakteren op school kan ook goedkoop. Mijn zoon nam fruitspiesjes mee. "
                "De juf was er blij mee.",
            ),
            (
                "cofacilitator",
                "Wat ik heb geleerd: kinderen onthouden vooral de aandacht, niet wat het kostte. "
                "Vraag je dochter eens wat ze het állerleukst vindt. Vaak is dat iets kleins.",
            ),
            (
                "m5",
                "Ik heb het haar gevraagd. Ze wil een 'pyjamafeestje' met twee vriendinnetjes en "
                "samen pizza maken. Dat gaat lukken! 🥳",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m6",
        "title": "Schuldhulpverlening van de gemeente: hoe lang duurt het?",
        "posts": [
            (
                "m6",
                "Ik heb me vorige week aangemeld bij de schuldhulpverlening van de gemeente. "
                "Nu moet ik allemaal papieren verzamelen. Hoe lang duurt het voordat er echt iets gebeurt?",
            ),
            (
                "m2",
                "Bij mij duurde het ongeveer drie weken voor het eerste gesprek. Daarna ging het sneller. "
                "Zorg dat je alle brieven van schuldeisers bij elkaar hebt, dat scheelt veel tijd.",
            ),
            (
                "cofacilitator",
                "Het verschilt per gemeente en per situatie. Bij mij duurde het hele traject uiteindelijk "
                "drie jaar. Dat klinkt lang. Maar vanaf het begin had ik weer rust, want ik wist dat "
                "er iemand meekeek.",
            ),
            (
                "m6",
                "Drie jaar, pff. Maar als er rust komt, is het het waard.",
            ),
            (
                "m3",
                "Wim, als je hulp wilt bij het sorteren van de papieren: je budgetcoach kan dat ook. "
                "Of neem het mee naar de bijeenkomst.",
            ),
            (
                "facilitator",
                "Goed idee Petra. Wim, neem je map gerust mee dinsdag. We kunnen voor of na de "
                "bijeenkomst even samen kijken.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m1",
        "title": "Huurtoeslag doorgeven als ik meer ga werken?",
        "posts": [
            (
                "m1",
                "Ik kan vanaf volgende maand vier uur per week meer werken. Fijn! Maar moet ik dit "
                "doorgeven voor de huurtoeslag en de kinderopvangtoeslag? Ik ben bang dat ik dan "
                "moet terugbetalen.",
            ),
            (
                "m3",
                "Ja, zeker doorgeven! Als je het niet doet, moet je later juist terugbetalen. "
                "Dat is mij een keer overkomen en dat was echt vervelend.",
            ),
            (
                "m2",
                "Je kunt het aanpassen met je DigiD bij Mijn toeslagen. Doe het liever te vroeg dan te laat.",
            ),
            (
                "cofacilitator",
                "Goed dat je het vraagt, Sanne. Een budgetcoach of de sociaal raadslieden kunnen "
                "meekijken als je het lastig vindt. En gefeliciteerd met de extra uren!",
            ),
            (
                "m1",
                "Gedaan! Het was minder moeilijk dan ik dacht. Ik krijg iets minder toeslag, "
                "maar ik houd netto toch meer over.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m3",
        "title": "Sinterklaas en kerst zonder dure cadeaus",
        "posts": [
            (
                "m3",
                "Ik zie er nu al tegenop. Sinterklaas, dan kerst, en dan ook nog oud en nieuw. "
                "Mijn kinderen hebben verlanglijstjes van hier tot Tokio. Hoe pakken jullie dat aan?",
            ),
            (
                "m5",
                "Wij doen één cadeau van Sint en verder kleine dingen in de schoen. "
                "Een mandarijn en wat pepernoten vindt ze ook al leuk.",
            ),
            (
                "m1",
                "Met de familie doen we sinds vorig jaar lootjes trekken met een maximumbedrag. "
                "Ik vond het eng om voor te stellen, maar iedereen was opgelucht!",
            ),
            (
                "m6",
                "Vroeger maakten we surprises van dozen en wc-rollen. Dat was het leukste van de avond.",
            ),
            (
                "m2",
                "Tip: de kringloopwinkel heeft vaak nette speelgoed en puzzels. Mijn zoon ziet "
                "het verschil niet.",
            ),
            (
                "m3",
                "Lootjes met een maximumbedrag, dat ga ik bij mijn ex voorstellen. Dan hoeven we ook "
                "niet tegen elkaar op te bieden.",
            ),
            (
                "m4",
                "Ik geef dit jaar 'tijd' aan mijn neefjes. Een middag samen naar de kinderboerderij. "
                "Gratis, en ik denk dat ze het leuker vinden dan een cadeau.",
            ),
            (
                "cofacilitator",
                "Wat een mooie ideeën. Zet ook een klein potje apart voor de feestdagen, al is het "
                "maar een paar euro per week vanaf september. Dan komt december minder hard binnen.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m2",
        "title": "Betalingsregeling met de huisbaas",
        "posts": [
            (
                "m2",
                "Ik heb twee maanden huurachterstand. De huisbaas stuurt steeds boze berichten. "
                "Ik ben bang dat ik uit mijn huis moet. Wat kan ik doen?",
            ),
            (
                "m3",
                "Hamid, neem zelf contact op voordat hij verder gaat. Laat zien dat je wilt betalen "
                "en stel een regeling voor. Meestal willen ze dat liever dan een rechtszaak.",
            ),
            (
                "cofacilitator",
                "Huur is altijd het belangrijkste om te betalen, samen met energie en zorgverzekering. "
                "Meld de achterstand ook bij de schuldhulpverlening van de gemeente. Zij kunnen soms "
                "bemiddelen met de verhuurder.",
            ),
            (
                "facilitator",
                "Hamid, ik begrijp dat dit veel spanning geeft. Wil je dat ik volgende week even met je "
                "meekijk naar een brief aan je huisbaas? Stuur me maar een bericht.",
            ),
            (
                "m2",
                "Dank jullie. Ik heb hem gebeld. Hij was rustiger dan ik dacht. We spreken af dat ik de "
                "achterstand in zes maanden inloop. Ik ga het op papier zetten.",
            ),
            (
                "m1",
                "Wat goed dat je gebeld hebt Hamid! Dat is echt een grote stap.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m4",
        "title": "Hoe zeg ik nee tegen vrienden die uit eten willen?",
        "posts": [
            (
                "m4",
                "Mijn vrienden willen elk weekend iets doen. Uit eten, stappen, festival. "
                "Ik zeg steeds ja omdat ik er niet buiten wil vallen. Maar het kan gewoon niet meer.",
            ),
            (
                "m1",
                "Misschien kun je zelf iets voorstellen? Bij iemand thuis eten en ieder neemt wat mee. "
                "Dan ben je er wel bij.",
            ),
            (
                "m2",
                "Echte vrienden begrijpen het als je zegt: ik spaar even. Je hoeft niet alles uit te leggen.",
            ),
            (
                "m6",
                "Op jouw leeftijd ging ik ook elk weekend de kroeg in. Maar ik was blij met de vrienden "
                "die ook gewoon een avond kaarten wilden.",
            ),
            (
                "m4",
                "Ik heb gezegd dat ik een paar maanden moet opletten met geld. Eén vriend zei: "
                "ik eigenlijk ook. Nu gaan we zaterdag samen voetbal kijken bij hem thuis 😄",
            ),
            (
                "m3",
                "Zie je wel! Vaak zit de ander met hetzelfde.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m5",
        "title": "Tip: gratis uitjes met kinderen in de buurt",
        "posts": [
            (
                "m5",
                "Omdat de vakantie eraan komt, een lijstje met gratis dingen die wij doen:\n\n"
                "- de bibliotheek (kinderen tot 18 jaar zijn gratis lid)\n"
                "- de kinderboerderij in het park\n"
                "- picknicken aan de rivier\n"
                "- de speeltuin bij het buurthuis\n\n"
                "Wie heeft er nog meer?",
            ),
            (
                "m1",
                "Het Jeugdfonds Sport & Cultuur! Via de gemeente kun je vragen of zij zwemles of "
                "een sportclub betalen. Mijn zoon zit nu op voetbal.",
            ),
            (
                "m3",
                "Met de Stadspas van de gemeente heb je korting bij het zwembad en de bioscoop. "
                "Vraag even na of jij die ook kunt krijgen.",
            ),
            (
                "m6",
                "Vissen aan de dijk. Een hengel van de kringloop en een zakje brood. Mijn kleinzoon "
                "kan er uren zitten.",
            ),
            (
                "m5",
                "Super, dank jullie! Dit lijstje hang ik op de koelkast.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m6",
        "title": "Post openmaken is voor mij het moeilijkste",
        "posts": [
            (
                "m6",
                "Ik moet eerlijk zijn. Er ligt een stapel ongeopende post op de kast. "
                "Elke keer als ik ernaar kijk, krijg ik buikpijn. Dus ik kijk er maar niet naar.",
            ),
            (
                "m1",
                "Wim, dat had ik dus ook, die la vol post. Je bent echt niet de enige.",
            ),
            (
                "m3",
                "Wat mij hielp: elke dag maar drie brieven openmaken. Niet meer. "
                "En daarna iets leuks doen, een kop koffie of een stukje wandelen.",
            ),
            (
                "cofacilitator",
                "Herkenbaar, Wim. Ik maakte de post open met iemand naast me. Dat maakte het een stuk "
                "lichter. Is er iemand die een keer bij je kan zitten? Je dochter misschien?",
            ),
            (
                "m6",
                "Mijn dochter komt zaterdag. Ik zal het haar vragen. Dat is wel moeilijk voor me.",
            ),
            (
                "m5",
                "Je kunt het, Wim! En weet je wat ik doe: ik sorteer eerst op stapeltjes. "
                "Eerst 'moet snel', dan 'kan wachten', dan 'reclame'. Dan wordt de stapel al kleiner.",
            ),
            (
                "m6",
                "Update: we hebben samen alles opengemaakt. Het viel mee, er zat ook veel reclame tussen. "
                "Twee brieven moet ik snel iets mee. Die neem ik mee naar de groep.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "cofacilitator",
        "title": "Mijn verhaal: hoe ik uit de schulden kwam",
        "posts": [
            (
                "cofacilitator",
                "Een paar van jullie vroegen naar mijn verhaal. Ik had ruim tien jaar schulden. "
                "Het begon met een lening voor een auto en daarna ging alles mis toen ik mijn baan kwijtraakte.\n\n"
                "Het keerpunt was dat ik hulp vroeg bij de gemeente. Ik kwam in een schuldregeling en "
                "kreeg een budgetcoach. Het was geen makkelijke tijd, maar ik heb nu al vier jaar geen "
                "schulden meer.\n\n"
                "Vraag gerust wat je wilt weten.",
            ),
            (
                "m4",
                "Wat was voor jou het moeilijkste in die tijd?",
            ),
            (
                "cofacilitator",
                "Leven van weinig geld, drie jaar lang. En steeds nee zeggen. Maar ik leerde ook wat "
                "ik echt nodig had. Dat neem ik nog steeds mee.",
            ),
            (
                "m5",
                "Dank je dat je dit deelt, Ruud. Het geeft me hoop.",
            ),
            (
                "m2",
                "Hoe houd je het nu vol om geen nieuwe schulden te maken?",
            ),
            (
                "cofacilitator",
                "Ik heb een aparte spaarrekening voor onverwachte dingen, al is het maar een klein "
                "bedrag per maand. En ik koop niks meer op afbetaling. Als ik het niet kan betalen, "
                "dan wacht ik.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m1",
        "title": "Een app of een schriftje om bij te houden?",
        "posts": [
            (
                "m1",
                "Na het huiswerk van de uitgaven wil ik het blijven bijhouden. "
                "Gebruiken jullie een app of gewoon pen en papier?",
            ),
            (
                "m6",
                "Schriftje. Ik ben te oud voor al die apps 😉",
            ),
            (
                "m4",
                "Ik gebruik de app van mijn bank. Die zet alles automatisch in groepjes. "
                "Wel even controleren, want hij zet soms dingen in de verkeerde groep.",
            ),
            (
                "m2",
                "Ik heb een simpel overzicht in een spreadsheet. Eén tabblad per maand.",
            ),
            (
                "m3",
                "Ik wissel. Ik schrijf het op en aan het eind van de week zet ik het in een app. "
                "Twee keer is wel veel werk, maar zo onthoud ik het beter.",
            ),
            (
                "m1",
                "Ik ga het schriftje proberen. Als ik iets op mijn telefoon doe, zit ik daarna "
                "toch weer op social media.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m3",
        "title": "Rekentool van het Nibud geprobeerd",
        "posts": [
            (
                "m3",
                "Mijn budgetcoach wees me op de website van het Nibud. Daar staan handige "
                "rekentools, bijvoorbeeld om te zien wat je gemiddeld uitgeeft aan boodschappen: "
                "https://www.nibud.nl\n\n"
                "Ik zag dat wij best veel uitgeven aan boodschappen vergeleken met andere gezinnen. "
                "Dus daar valt nog wat te halen.",
            ),
            (
                "m5",
                "Handig! Ik ga vanavond kijken.",
            ),
            (
                "m6",
                "Is dat ook te begrijpen voor iemand die niet zo goed is met computers?",
            ),
            (
                "m3",
                "Ik vond het best duidelijk, Wim. Maar als je wilt, kunnen we het na de bijeenkomst "
                "even samen bekijken op mijn telefoon.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m2",
        "title": "Zorgverzekering: eigen risico gespreid betalen",
        "posts": [
            (
                "m2",
                "Ik moet naar het ziekenhuis voor onderzoek. Nu krijg ik waarschijnlijk de rekening "
                "van het hele eigen risico in één keer. Dat is veel geld. Weet iemand hoe dat zit?",
            ),
            (
                "m3",
                "Bij de meeste zorgverzekeraars kun je het eigen risico in termijnen betalen. "
                "Bel ze even op en vraag ernaar.",
            ),
            (
                "m1",
                "Soms heeft de gemeente een collectieve zorgverzekering voor mensen met een laag "
                "inkomen. Daar zit het eigen risico soms al in. Vraag het na bij de gemeente.",
            ),
            (
                "m2",
                "Ik heb gebeld. Ik mag het in tien maanden betalen. Weer een zorg minder!",
            ),
            (
                "m5",
                "Fijn Hamid! En sterkte met het onderzoek.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m4",
        "title": "Wasmachine kapot en geen buffer",
        "posts": [
            (
                "m4",
                "Balen. Mijn wasmachine is kapot en ik heb geen geld voor een nieuwe. "
                "Ik wil niet weer op afbetaling kopen. Iemand een idee?",
            ),
            (
                "m6",
                "Laat eerst kijken of hij te maken is. Bij ons in het buurthuis is elke maand een "
                "Repair Café. Daar hebben ze mijn stofzuiger ook gemaakt.",
            ),
            (
                "m1",
                "Op Marktplaats en in de kringloop staan vaak goede tweedehands wasmachines. "
                "Soms met een paar maanden garantie.",
            ),
            (
                "cofacilitator",
                "Soms kun je bij de gemeente een bijzondere bijstand aanvragen voor noodzakelijke "
                "spullen. Het hangt af van je inkomen. Vraag het even na voordat je iets koopt.",
            ),
            (
                "m4",
                "Repair Café is pas over twee weken. Tot die tijd ga ik naar de wasserette. "
                "Ik laat weten hoe het afloopt.",
            ),
            (
                "m4",
                "Hij is gemaakt! Er zat een sok in de pomp 🙄 Kosten: een vrijwillige bijdrage.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m5",
        "title": "Naar de voedselbank: ik schaam me",
        "posts": [
            (
                "m5",
                "Mijn budgetcoach zegt dat ik naar de voedselbank kan. Het zou echt helpen. "
                "Maar ik schaam me zo. Wat als iemand van school me ziet?",
            ),
            (
                "m3",
                "Ik snap dat gevoel heel goed. Ik ben een half jaar naar de voedselbank gegaan. "
                "De vrijwilligers waren heel vriendelijk en niemand keek raar.",
            ),
            (
                "m2",
                "Die hulp is er precies voor dit moment. Het is tijdelijk. Daarna kun je weer verder.",
            ),
            (
                "m6",
                "Je zorgt goed voor je dochter. Daar hoef je je niet voor te schamen.",
            ),
            (
                "cofacilitator",
                "Ook ik heb er gestaan, Yasmina. De eerste keer was ik heel zenuwachtig. "
                "Daarna was het vooral een opluchting. Het gaf me ruimte om mijn rekeningen te betalen.",
            ),
            (
                "m5",
                "Dank jullie. Ik ga volgende week. Ik laat het weten.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m6",
        "title": "Enveloppen of potjes: werkt dat?",
        "posts": [
            (
                "m6",
                "Mijn moeder deed het vroeger met enveloppen. Een envelop voor de boodschappen, "
                "een voor kleding, een voor de melkboer. Werkt dat nog, nu alles met de pinpas gaat?",
            ),
            (
                "m2",
                "Ik doe het digitaal. Ik heb bij mijn bank een paar spaarpotjes gemaakt. "
                "Na de salarisdag zet ik meteen geld in elk potje.",
            ),
            (
                "m1",
                "Ik neem elke week contant geld op voor de boodschappen. Als het op is, is het op. "
                "Dat werkt voor mij beter dan pinnen.",
            ),
            (
                "m4",
                "Ik heb een tweede rekening voor vaste lasten. Dan zie ik op mijn gewone rekening "
                "alleen wat ik echt mag uitgeven.",
            ),
            (
                "m6",
                "Dus het idee werkt nog steeds, alleen op een nieuwe manier. Ik begin met de "
                "enveloppen, dat snap ik tenminste.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m1",
        "title": "Slecht geslapen van de zorgen",
        "posts": [
            (
                "m1",
                "Ik lig de laatste tijd veel wakker. Ik blijf maar rekenen in mijn hoofd. "
                "Overdag ben ik dan zo moe. Herkent iemand dit?",
            ),
            (
                "m3",
                "Ja, heel erg. Wat mij helpt: een briefje naast mijn bed. Alles wat in mijn hoofd "
                "rondgaat, schrijf ik op. Dan hoef ik het niet meer te onthouden tot morgen.",
            ),
            (
                "m5",
                "Ik zet om negen uur mijn telefoon uit. Dan kijk ik 's avonds niet meer naar mijn "
                "bankapp. Dat scheelt echt.",
            ),
            (
                "facilitator",
                "Fijn dat je dit deelt, Sanne. Geldzorgen kosten veel energie en slecht slapen hoort "
                "daar vaak bij. Blijft het lang duren, ga dan ook even langs je huisarts. "
                "Zullen we er dinsdag ook even bij stilstaan in de groep?",
            ),
            (
                "m1",
                "Ja graag. Ik ga het briefje naast mijn bed proberen. Vannacht ging het al iets beter.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m3",
        "title": "Kleding voor de kinderen: tweedehands tips",
        "posts": [
            (
                "m3",
                "Mijn kinderen groeien zo hard. Elke paar maanden zijn de broeken te kort. "
                "Waar halen jullie goedkope kleding?",
            ),
            (
                "m5",
                "Bij ons is er een kledingbank. Je hebt een verwijzing nodig, maar die kreeg ik via "
                "het maatschappelijk werk.",
            ),
            (
                "m1",
                "In onze buurt is twee keer per jaar een kinderkledingbeurs. Voor een paar euro heb "
                "je een hele tas vol.",
            ),
            (
                "m3",
                "Die beurs ga ik opzoeken. Dank je!",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m4",
        "title": "Vraag: ervaring met beschermingsbewind?",
        "posts": [
            (
                "m4",
                "Mijn moeder zegt dat ik misschien een bewindvoerder moet nemen. "
                "Dan regelt iemand anders mijn geld. Heeft iemand hier ervaring mee? "
                "Hoe werkt dat en wat kost het?",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m6",
        "title": "Welke abonnementen waren jullie vergeten?",
        "posts": [
            (
                "m6",
                "Na het huiswerk van de vaste lasten ben ik op zoek gegaan. Ik betaalde nog voor een "
                "krant die ik niet lees en een tijdschrift van mijn vrouw. Welke hadden jullie nog lopen?",
            ),
            (
                "m4",
                "Drie streamingdiensten. Drie! Ik kijk er maar één. De andere twee zijn opgezegd.",
            ),
            (
                "m1",
                "Een app om te sporten die ik één keer heb gebruikt. Stond al een jaar te lopen.",
            ),
            (
                "m2",
                "Ik heb mijn telefoonabonnement verlaagd. Ik had veel te veel data. "
                "Nu een goedkoper abonnement zonder nieuwe telefoon.",
            ),
            (
                "m5",
                "Goed dat je dit vraagt Wim, ik ga vanavond mijn afschriften nog een keer doorlopen.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m2",
        "title": "Kleine overwinningen van deze week 🎉",
        "posts": [
            (
                "m2",
                "Laten we ook eens delen wat goed ging! Ik begin: ik heb deze week alle rekeningen op "
                "tijd betaald. Voor het eerst in een jaar.",
            ),
            (
                "m5",
                "Ik ben naar de voedselbank geweest. Het viel echt mee. En mijn dochter heeft een "
                "nieuwe jas van de kledingbank, ze is er superblij mee.",
            ),
            (
                "m4",
                "Een hele week geen bezorgmaaltijd besteld. Ik heb gekookt uit Petra's weekmenu-topic.",
            ),
            (
                "m3",
                "Yes Dennis! Ik heb de eerste keer 20 euro op mijn spaarrekening gezet. Klein, maar het is een begin.",
            ),
            (
                "m6",
                "Ik heb alle post open. En ik heb mijn eerste gesprek bij de schuldhulpverlening gehad.",
            ),
            (
                "m1",
                "Ik heb mijn moeder verteld dat ik schulden heb. Ze was lief. Dat had ik niet verwacht.",
            ),
            (
                "cofacilitator",
                "Wat een lijst! Dit zijn geen kleine dingen. Dit zijn de stappen die het verschil maken. "
                "Trots op jullie.",
            ),
        ],
    },
    {
        "kind": "discussion",
        "author": "m5",
        "title": "Schoolreisje en ouderbijdrage: mag je daar iets voor aanvragen?",
        "posts": [
            (
                "m5",
                "De school vraagt een ouderbijdrage en er komt een schoolreisje aan. Samen is dat "
                "best een bedrag. Weet iemand of je daar ergens hulp voor kunt vragen?",
            ),
        ],
    },
]
