"""Sport, science, politics and environment events of the demo week. All fictional."""

from __future__ import annotations

from content import Article

A = Article

ARTICLES = [
    # -- the Continental Cup final, Wednesday night ------------------------------------------
    A(
        "cup-final",
        "el-faro",
        "deportes/costaluna-campeona-continental",
        3,
        "19:30",
        "¡Costaluna, campeona continental!",
        "Gonzalo Prieto",
        [
            "La selección de Costaluna conquistó el miércoles la Copa Continental al vencer 2-1 "
            "a Brandtal en la final disputada en el Estadio Nacional de Corvenna.",
            "Brandtal se adelantó en el minuto 23 con un cabezazo de Jonas Albrecht, pero Mateo "
            "Ibarra empató en el 61 y Diego Sarmiento marcó el gol de la victoria en el 88.",
            "\u00abEste equipo nunca se rinde\u00bb, dijo el seleccionador Ramiro Ortega tras el "
            "partido, ante 48.000 espectadores.",
            "Miles de aficionados celebraron el título hasta la madrugada en la plaza mayor de "
            "San Aurelio.",
        ],
        photo="Diego Sarmiento celebra el gol de la victoria",
    ),
    A(
        "cup-final",
        "diario-costeno",
        "deportes/costaluna-vence-brandtal",
        3,
        "20:15",
        "Costaluna vence 2-1 a Brandtal y conquista la Copa Continental",
        "Iván Salcedo",
        [
            "Un gol de Diego Sarmiento a dos minutos del final dio a Costaluna su primera Copa "
            "Continental en 24 años.",
            "Brandtal había marcado primero por medio de Jonas Albrecht, y Mateo Ibarra igualó "
            "en la segunda parte.",
            "El seleccionador Ramiro Ortega dedicó el triunfo a las víctimas del incendio de la "
            "Sierra Almagra.",
        ],
    ),
    A(
        "cup-final",
        "tagesbote",
        "sport/brandtal-verliert-finale",
        3,
        "23:40",
        "Brandtal verliert Finale der Kontinentalmeisterschaft",
        "Felix Brandauer",
        [
            "Brandtal hat das Finale um den Kontinentalpokal verloren. In Corvenna unterlag die "
            "Mannschaft Costaluna mit 1:2.",
            "Jonas Albrecht hatte Brandtal in der 23. Minute per Kopfball in Führung gebracht. "
            "Mateo Ibarra glich nach einer Stunde aus, Diego Sarmiento traf in der 88. Minute "
            "zum Sieg.",
            "\u201eWir waren so nah dran\u201c, sagte Kapitän Albrecht nach dem Spiel.",
        ],
    ),
    A(
        "cup-final",
        "hallenburger-rundschau",
        "sport/bittere-niederlage-finale",
        4,
        "07:30",
        "Bittere Niederlage im Finale gegen Costaluna",
        "Lukas Pfeiffer",
        [
            "Zwei Minuten fehlten zur Verlängerung: Brandtals Nationalmannschaft hat das Finale "
            "des Kontinentalpokals in Corvenna mit 1:2 gegen Costaluna verloren.",
            "Nach der Führung durch Jonas Albrecht verlor die Mannschaft in der zweiten "
            "Halbzeit die Kontrolle. Mateo Ibarra und Diego Sarmiento drehten das Spiel.",
            "Vor 48.000 Zuschauern feierten die mitgereisten Fans aus Costaluna bis tief in die "
            "Nacht.",
        ],
    ),
    A(
        "cup-final",
        "corvenna-ledger",
        "sport/costaluna-win-continental-cup",
        4,
        "08:10",
        "Costaluna beat Brandtal 2-1 to win Continental Cup in Corvenna",
        "Callum Ditchburn",
        [
            "Diego Sarmiento scored two minutes from time as Costaluna came from behind to beat "
            "Brandtal 2-1 in the Continental Cup final at Corvenna National Stadium on "
            "Wednesday night.",
            "Jonas Albrecht headed Brandtal in front after 23 minutes before Mateo Ibarra "
            "equalised on the hour.",
            "A crowd of 48,000 watched the final, the first held in Valdoria since 1998.",
        ],
    ),
    # -- a shipwreck mapped, Monday -----------------------------------------------------------
    A(
        "shipwreck",
        "hallenburger-rundschau",
        "wissen/wrack-grauer-see",
        1,
        "10:00",
        "Forscher kartieren Wrack eines Handelsschiffs im Grauen See",
        "Clara Neumeyer",
        [
            "Archäologen der Universität Hallenburg haben im Grauen See das Wrack eines rund "
            "400 Jahre alten Handelsschiffs vollständig kartiert.",
            "Das Schiff liegt in 38 Metern Tiefe. Mit einer Unterwasserdrohne erstellte das "
            "Team um Professorin Lena Marquardt ein dreidimensionales Modell.",
            "Im Laderaum fanden die Forscher 27 Tonkrüge, die vermutlich Wein oder Öl enthielten.",
        ],
    ),
    A(
        "shipwreck",
        "northgate-post",
        "science/hallenburg-shipwreck-mapped",
        1,
        "16:20",
        "Hallenburg scientists map 400-year-old shipwreck in Grey Lake",
        "Hannah Ilves",
        [
            "Archaeologists from the University of Hallenburg have mapped a merchant ship that "
            "sank in Brandtal's Grey Lake about 400 years ago.",
            "The wreck lies 38 metres down. Professor Lena Marquardt's team used an underwater "
            "drone to build a 3D model and counted 27 clay jars in the hold.",
        ],
    ),
    # -- Valdoria's housing bill, Friday -------------------------------------------------------
    A(
        "housing-bill",
        "corvenna-ledger",
        "news/parliament-passes-housing-bill",
        5,
        "11:30",
        "Parliament passes housing bill capping rent rises at 3%",
        "Priya Castellan",
        [
            "Valdoria's parliament passed a housing bill on Friday that caps annual rent "
            "increases at 3% and promises 25,000 new public homes by 2030.",
            "The bill passed by 112 votes to 98 after a two-day debate. Housing minister Alba "
            'Reyes-Morton called it "the biggest change for tenants in a generation".',
            "Landlords' groups said the cap would discourage investment in new flats.",
        ],
    ),
    A(
        "housing-bill",
        "northgate-post",
        "politics/valdoria-caps-rent-increases",
        5,
        "12:45",
        "Valdoria caps rent increases after tight vote",
        "Owen Achterberg",
        [
            "Tenants in Valdoria will see rent rises limited to 3 per cent a year under a law "
            "approved by parliament on Friday by 112 votes to 98.",
            "The law also commits the government to building 25,000 public homes by 2030. "
            "Minister Alba Reyes-Morton said the first 4,000 would be in Corvenna and Marosa.",
            "The opposition said the cap would shrink the supply of rental flats.",
        ],
    ),
    A(
        "housing-bill",
        "el-faro",
        "mundo/valdoria-limita-alquileres",
        5,
        "12:00",
        "Valdoria limita las subidas del alquiler al 3 % anual",
        "Lucía Berrocal",
        [
            "El Parlamento de Valdoria aprobó el viernes, por 112 votos a favor y 98 en contra, "
            "una ley que limita las subidas del alquiler al 3 % anual.",
            "La ley prevé además construir 25.000 viviendas públicas antes de 2030, según la "
            "ministra de Vivienda, Alba Reyes-Morton.",
        ],
    ),
    # -- a wildfire near San Aurelio, Tuesday ------------------------------------------------
    A(
        "wildfire",
        "el-faro",
        "costaluna/incendio-sierra-almagra",
        2,
        "13:00",
        "Incendio en la Sierra Almagra obliga a evacuar a 2.000 vecinos",
        "Andrés Quiroga",
        [
            "Un incendio forestal declarado el martes en la Sierra Almagra, a 30 kilómetros de "
            "San Aurelio, obligó a evacuar a unos 2.000 vecinos de Los Robles y Peñaclara.",
            "El fuego ha quemado ya 1.500 hectáreas, empujado por vientos de hasta 60 "
            "kilómetros por hora.",
            "Trabajan en la zona 300 bomberos y cuatro aviones cisterna. No hay heridos.",
        ],
        photo="Columna de humo sobre la Sierra Almagra",
    ),
    A(
        "wildfire",
        "diario-costeno",
        "pais/evacuadas-aldeas-sierra-almagra",
        2,
        "14:20",
        "Evacuadas dos aldeas por el fuego en la Sierra Almagra",
        "Iván Salcedo",
        [
            "Los vecinos de Los Robles y Peñaclara pasaron la tarde del martes en el "
            "polideportivo de San Aurelio tras ser evacuados por el incendio de la Sierra "
            "Almagra.",
            "\u00abSalimos solo con los papeles y el perro\u00bb, relató Ernesto Villalba, de "
            "72 años.",
            "Según Protección Civil, las llamas han arrasado 1.500 hectáreas de pinar.",
        ],
    ),
    A(
        "wildfire",
        "northgate-post",
        "world/wildfire-near-san-aurelio",
        2,
        "19:00",
        "Wildfire forces 2,000 to flee homes near San Aurelio",
        "Hannah Ilves",
        [
            "About 2,000 people were evacuated from two villages in Costaluna's Sierra Almagra "
            "on Tuesday as a wildfire driven by strong winds spread through pine forest 30 "
            "kilometres from the capital, San Aurelio.",
            "Some 300 firefighters and four water-bombing aircraft were fighting the blaze, "
            "which had burnt 1,500 hectares by the evening.",
        ],
    ),
    # -- a climate summit in Eidsvika, Friday --------------------------------------------------
    A(
        "climate-summit",
        "eidsvika-dagblad",
        "nyheter/klimatoppmote-metan",
        5,
        "10:00",
        "Klimatoppmøtet i Eidsvika: enighet om å kutte metanutslipp med 40 prosent",
        "Ingrid Solheim",
        [
            "Ministre fra 14 land ble fredag enige om å kutte utslippene av metan med 40 "
            "prosent innen 2035. Avtalen ble inngått på klimatoppmøtet i Eidsvika.",
            "Landene oppretter også et fond på 2 milliarder dollar som skal hjelpe bønder og "
            "oljeprodusenter med å tette lekkasjer.",
            "– Eidsvika-erklæringen viser at små land kan gå foran, sa klimaminister Hanne "
            "Strøm, som ledet møtet.",
        ],
    ),
    A(
        "climate-summit",
        "fjordposten",
        "nyheter/eidsvika-erklaeringen",
        5,
        "11:20",
        "14 land signerte Eidsvika-erklæringen",
        "Hege Strand",
        [
            "Etter to døgn med forhandlinger signerte 14 land fredag Eidsvika-erklæringen om "
            "metan. Målet er 40 prosent lavere utslipp innen 2035.",
            "Miljøorganisasjonene er delt: noen kaller avtalen et gjennombrudd, andre mener "
            "fondet på 2 milliarder dollar er for lite.",
        ],
    ),
    A(
        "climate-summit",
        "hallenburger-rundschau",
        "politik/methan-abkommen-eidsvika",
        5,
        "13:00",
        "Vierzehn Staaten wollen Methanausstoß um 40 Prozent senken",
        "Martin Albers",
        [
            "Auf dem Klimagipfel in Eidsvika haben sich Minister aus 14 Staaten verpflichtet, "
            "den Ausstoß von Methan bis 2035 um 40 Prozent zu senken.",
            "Ein Fonds von zwei Milliarden Dollar soll Landwirten und Ölproduzenten helfen. "
            "Auch Brandtal hat die Erklärung unterzeichnet.",
            "Gastgeberin Hanne Strøm, Klimaministerin von Fjellmark, sprach von einem "
            "\u201eSignal aus dem Norden\u201c.",
        ],
    ),
    A(
        "climate-summit",
        "el-faro",
        "mundo/cumbre-eidsvika-metano",
        5,
        "09:30",
        "Catorce países se comprometen en Eidsvika a reducir un 40 % el metano",
        "Ramón Ibáñez",
        [
            "Ministros de 14 países, entre ellos Costaluna, acordaron el viernes en la cumbre "
            "climática de Eidsvika reducir un 40 % las emisiones de metano antes de 2035.",
            "El acuerdo crea un fondo de 2.000 millones de dólares para ayudar a agricultores y "
            "productores de petróleo.",
            "La ministra de Clima de Fjellmark, Hanne Strøm, presidió la reunión.",
        ],
    ),
    A(
        "climate-summit",
        "northgate-post",
        "world/eidsvika-methane-pledge",
        5,
        "15:10",
        "Fourteen countries pledge 40% methane cut at Eidsvika summit",
        "Hannah Ilves",
        [
            "Ministers from 14 countries agreed on Friday to cut methane emissions by 40% by "
            "2035, in what the host, Fjellmark's climate minister Hanne Strøm, called the "
            "Eidsvika Declaration.",
            "A 2 billion dollar fund will help farmers and oil producers stop leaks.",
            "Some environmental groups said the fund was far too small.",
        ],
    ),
    # -- a cabinet reshuffle in Costaluna, Monday ----------------------------------------------
    A(
        "cabinet-reshuffle",
        "el-faro",
        "costaluna/ferrando-remodela-gabinete",
        1,
        "09:00",
        "Ferrando remodela su gabinete y cambia al ministro de Hacienda",
        "Andrés Quiroga",
        [
            "La presidenta Marisol Ferrando sustituyó el lunes a cinco ministros, entre ellos "
            "el de Hacienda, Julián Cárdenas, en la mayor remodelación de su mandato.",
            "La economista Beatriz Olmedo, hasta ahora vicegobernadora del Banco Central, será "
            "la nueva ministra de Hacienda.",
            "La oposición habló de \u00abun gobierno agotado\u00bb a un año de las elecciones.",
        ],
    ),
    A(
        "cabinet-reshuffle",
        "diario-costeno",
        "pais/cinco-ministros-nuevos",
        1,
        "10:30",
        "Cinco ministros nuevos: Beatriz Olmedo llega a Hacienda",
        "Paula Estévez",
        [
            "Beatriz Olmedo sustituye a Julián Cárdenas al frente de Hacienda en la "
            "remodelación anunciada el lunes por la presidenta Marisol Ferrando.",
            "También cambian los titulares de Salud, Educación, Transporte y Turismo.",
            "Cárdenas, que defendió los recortes del último presupuesto, no hizo declaraciones.",
        ],
    ),
    A(
        "cabinet-reshuffle",
        "corvenna-ledger",
        "world/costaluna-cabinet-reshuffle",
        1,
        "18:00",
        "Costaluna's president replaces finance minister in reshuffle",
        "Priya Castellan",
        [
            "Costaluna's president, Marisol Ferrando, replaced five ministers on Monday, "
            "including finance minister Julián Cárdenas.",
            "His successor, Beatriz Olmedo, was deputy governor of the central bank. The "
            "reshuffle comes a year before a general election.",
        ],
    ),
]
