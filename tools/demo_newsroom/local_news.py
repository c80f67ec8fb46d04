"""Minor stories that only one outlet reports. All fictional."""

from __future__ import annotations

from content import Article

A = Article

ARTICLES = [
    A(
        "single-zoo-cubs",
        "northgate-post",
        "local/northgate-zoo-snow-leopard-twins",
        1,
        "15:20",
        "Northgate zoo welcomes twin snow leopard cubs",
        "Sofia Renwick",
        [
            "Two snow leopard cubs born at Northgate Zoo last month made their first public "
            "appearance on Monday, to the delight of a crowd of schoolchildren.",
            "The cubs, a male and a female, have not yet been named; the zoo is asking visitors "
            "to vote on a shortlist of six names until the end of the month.",
            "Head keeper Aldo Pennick said both cubs were healthy and had doubled their weight "
            "since birth.",
        ],
        photo="The two snow leopard cubs at Corvenna Zoo",
    ),
    A(
        "single-tram-fares",
        "corvenna-ledger",
        "news/corvenna-tram-fares-rise",
        2,
        "17:30",
        "Corvenna tram fares to rise by 20 cents in January",
        "Maya Okonkwo-Hart",
        [
            "A single tram ticket in Corvenna will cost 2.40 valdors from January, up from 2.20, "
            "the city transport company announced on Tuesday.",
            "Monthly passes will stay at 55 valdors. The company said the increase would pay for "
            "twelve new low-floor trams due next year.",
            "Passenger groups called the rise unfair at a time of high living costs.",
        ],
    ),
    A(
        "single-chess",
        "northgate-post",
        "culture/valdorian-chess-prodigy",
        2,
        "11:00",
        "Valdorian chess prodigy, 14, earns grandmaster title",
        "Sofia Renwick",
        [
            "Fourteen-year-old Leo Varga from Marosa has become Valdoria's youngest chess "
            "grandmaster after securing his final norm at a tournament in Northgate.",
            "Varga learned the game from his grandfather, a retired dockworker, and trains four "
            "hours a day alongside school.",
            '"I just like solving problems," he said after his last game.',
        ],
    ),
    A(
        "single-library",
        "northgate-post",
        "culture/northgate-library-reopens",
        4,
        "16:00",
        "Northgate library reopens after two-year renovation",
        "Sofia Renwick",
        [
            "Northgate's central library reopened on Thursday after a two-year renovation that "
            "added a rooftop reading garden and a children's floor.",
            "The work cost 18 million valdors. The library's collection of 300,000 books was "
            "stored in a former warehouse during the building work.",
            "Opening hours have been extended to ten o'clock in the evening on weekdays.",
        ],
    ),
    A(
        "single-light-rail",
        "eidsvika-dagblad",
        "nyheter/bybanen-forsinket-igjen",
        1,
        "14:00",
        "Bybanen i Eidsvika forsinket igjen",
        "Henrik Vold",
        [
            "Den nye bybanen i Eidsvika blir ikke ferdig før høsten 2028, ett år senere enn "
            "planlagt. Det opplyste byrådet mandag.",
            "Årsaken er problemer med grunnforholdene ved Nordre torg, der tunnelen må forsterkes.",
            "Prisen har økt med 600 millioner kroner siden byggestart.",
        ],
    ),
    A(
        "single-aurora-festival",
        "eidsvika-dagblad",
        "kultur/nordlysfestivalen-rekord",
        5,
        "14:30",
        "Nordlysfestivalen trakk rekordmange besøkende",
        "Marte Lyngstad",
        [
            "Over 30 000 mennesker besøkte Nordlysfestivalen i Eidsvika denne uka, flere enn "
            "noen gang før.",
            "Festivalen avsluttes lørdag med en utendørskonsert på havna.",
            "– Vi har vært heldige med været og med nordlyset, sier festivalsjef Kaja Berntsen.",
        ],
    ),
    A(
        "single-skier",
        "fjordposten",
        "sport/skarvik-skiloper-vant",
        4,
        "20:00",
        "Skiløper fra Skarvik vant sesongåpningen",
        "Eirik Nordvik",
        [
            "Tuva Hamre fra Skarvik vant torsdag sprinten i sesongåpningen av verdenscupen.",
            "Den 22 år gamle løperen dedikerte seieren til hjembyen, som ble rammet av "
            "jordskjelv tidligere i uka.",
            "– Jeg tenkte på alle hjemme hele veien inn, sa Hamre.",
        ],
    ),
    A(
        "single-swimming-pool",
        "fjordposten",
        "nyheter/ny-svommehall",
        5,
        "08:45",
        "Kommunen vil bygge ny svømmehall på Holmen",
        "Hege Strand",
        [
            "Eidsvika kommune vil bygge en ny svømmehall på Holmen. Den skal erstatte badet fra "
            "1974, som stenger neste sommer.",
            "Hallen får et 25-metersbasseng og et eget opplæringsbasseng for barn.",
            "Bystyret skal behandle saken i desember.",
        ],
    ),
    A(
        "single-bakery",
        "hallenburger-rundschau",
        "region/baeckerei-roggenbrot-preis",
        5,
        "15:00",
        "Hallenburger Bäckerei backt das beste Roggenbrot des Landes",
        "Lukas Pfeiffer",
        [
            "Die Bäckerei Hoffstetter aus der Hallenburger Altstadt hat den Brandtaler "
            "Brotpreis gewonnen. Die Jury kürte ihr Sauerteig-Roggenbrot zum besten des Landes.",
            "Bäckermeisterin Gerda Hoffstetter führt den Betrieb in vierter Generation.",
            "Am Samstag verteilt die Bäckerei zur Feier 200 Brote gratis.",
        ],
    ),
    A(
        "single-bike-lanes",
        "tagesbote",
        "aktuell/mehr-radwege-hallenburg",
        4,
        "10:00",
        "Hallenburg bekommt 40 Kilometer neue Radwege",
        "Sabine Roth",
        [
            "Der Stadtrat von Hallenburg hat am Donnerstag beschlossen, bis 2028 rund 40 "
            "Kilometer neue Radwege zu bauen.",
            "Dafür fallen in der Innenstadt etwa 900 Parkplätze weg.",
            "Der Einzelhandelsverband kündigte Widerstand an.",
        ],
    ),
    A(
        "single-old-town",
        "tagesbote",
        "aktuell/altstadtfest-abgesagt",
        1,
        "16:10",
        "Herbstmarkt in der Altstadt fällt wegen Bauarbeiten aus",
        "Felix Brandauer",
        [
            "Der traditionelle Herbstmarkt in Hallenburgs Altstadt fällt in diesem Jahr aus. "
            "Grund sind Bauarbeiten an den Wasserleitungen unter dem Marktplatz.",
            "Die Händler sollen im kommenden Frühjahr einen Ersatztermin bekommen.",
        ],
    ),
    A(
        "single-film-festival",
        "el-faro",
        "cultura/festival-cine-san-aurelio",
        4,
        "18:00",
        "El Festival de Cine de San Aurelio presenta 120 películas",
        "Ramón Ibáñez",
        [
            "El Festival de Cine de San Aurelio proyectará 120 películas de 30 países en su "
            "próxima edición, anunció el jueves su directora, Carmen Vidaurre.",
            "La película inaugural será \u00abLa sal del norte\u00bb, rodada en Puerto Almendro.",
            "Las entradas salen a la venta el lunes.",
        ],
    ),
    A(
        "single-coffee-harvest",
        "diario-costeno",
        "economia/cosecha-cafe-record",
        4,
        "12:00",
        "La cosecha de café de Costaluna, la mejor en una década",
        "Iván Salcedo",
        [
            "Los cafeteros de Costaluna recogerán este año 1,8 millones de sacos, la mayor "
            "cosecha en diez años, según la federación de productores.",
            "Las lluvias de septiembre favorecieron la maduración del grano en las laderas del "
            "sur.",
            "Los productores temen, sin embargo, la caída de los precios internacionales.",
        ],
    ),
    A(
        "single-fishermen",
        "diario-costeno",
        "pais/pescadores-puerto-almendro",
        5,
        "11:00",
        "Pescadores de Puerto Almendro piden dragar la bocana",
        "Paula Estévez",
        [
            "Los pescadores de Puerto Almendro pidieron el viernes al Gobierno que drague la "
            "bocana del puerto, donde la arena acumulada impide salir con marea baja.",
            "\u00abPerdemos dos días de pesca por semana\u00bb, dijo Tomasa Ruiz, presidenta "
            "de la cofradía.",
            "El ministerio de Transporte prometió estudiar el caso.",
        ],
    ),
    A(
        "single-museum",
        "corvenna-ledger",
        "culture/maritime-museum-exhibition",
        5,
        "14:00",
        "Maritime museum opens exhibition on Marosa's dockers",
        "Maya Okonkwo-Hart",
        [
            "The Valdorian Maritime Museum opened an exhibition on Friday about a century of "
            "work on the Marosa docks, with photographs, tools and recorded interviews.",
            "Curator Petra Halloran said the exhibition had been planned for two years and its "
            "timing after this week's events was a coincidence.",
            "It runs until the end of March.",
        ],
    ),
]
