"""Business and technology events, with two agency texts republished by two outlets each.
All fictional."""

from __future__ import annotations

from content import Article

A = Article

SOLAR_WIRE = [
    "Costaluna switched on the largest solar power plant in the region on Monday, a 1.2 "
    "gigawatt installation on the Llano Dorado plateau that the government says will supply "
    "800,000 homes.",
    "The plant's 2.1 million panels cover an area the size of 2,400 football pitches. It was "
    "built in three years at a cost of 1.1 billion dollars, financed by a consortium of "
    "regional development banks.",
    '"Today Costaluna takes a decisive step away from imported diesel," energy minister '
    "Rafael Quintero said at the opening ceremony.",
    "Critics say the plateau's grazing land was lost to the project and that local herders "
    "received too little compensation. The ministry said 140 families were compensated.",
    "Costaluna aims to generate 70 per cent of its electricity from renewable sources by "
    "2035, up from about 35 per cent today. (Meridian Press Agency)",
]

TERMINAL_WIRE = [
    "Am Flughafen Hallenburg-Ost ist am Dienstag das neue Terminal 3 in Betrieb gegangen. "
    "Der erste Flug, eine Maschine aus Eidsvika, landete um 6.05 Uhr.",
    "Das Terminal ist für zwölf Millionen Passagiere im Jahr ausgelegt und verdoppelt damit "
    "die Kapazität des Flughafens. Der Bau kostete 1,9 Milliarden Mark und dauerte fünf Jahre.",
    "\u201eHallenburg ist jetzt das Tor des Nordens\u201c, sagte Verkehrsministerin Petra "
    "Lindqvist bei der Eröffnung.",
    "Anwohner in den Einflugschneisen kritisieren, dass die Zahl der Nachtflüge steigen "
    "könnte. Der Flughafen verweist auf das bestehende Nachtflugverbot zwischen 23 und 5 Uhr. "
    "(ZPA)",
]

ARTICLES = [
    # -- the solar plant: one agency text, two English outlets, one Spanish report -----------
    A(
        "solar-plant",
        "corvenna-ledger",
        "world/costaluna-opens-giant-solar-plant",
        1,
        "13:00",
        "Costaluna opens giant solar plant on Llano Dorado plateau",
        "Meridian Press Agency",
        list(SOLAR_WIRE),
        wire="meridian",
    ),
    A(
        "solar-plant",
        "northgate-post",
        "world/largest-solar-farm-online-costaluna",
        1,
        "13:45",
        "Region's largest solar farm goes online in Costaluna",
        "Meridian Press Agency",
        [
            *SOLAR_WIRE[:4],
            SOLAR_WIRE[4].replace(" (Meridian Press Agency)", ""),
            "This article was provided by the Meridian Press Agency.",
        ],
        wire="meridian",
    ),
    A(
        "solar-plant",
        "el-faro",
        "economia/llano-dorado-planta-solar",
        1,
        "10:30",
        "Llano Dorado ya produce electricidad: inaugurada la mayor planta solar de la región",
        "Ramón Ibáñez",
        [
            "La planta solar de Llano Dorado, con 1,2 gigavatios de potencia, entró en "
            "funcionamiento el lunes y abastecerá a unos 800.000 hogares.",
            "El ministro de Energía, Rafael Quintero, la inauguró con un discurso en el que "
            "prometió \u00abdejar atrás el diésel importado\u00bb.",
            "Los 2,1 millones de paneles costaron 1.100 millones de dólares. Ganaderos de la "
            "meseta denuncian que las compensaciones por las tierras fueron insuficientes.",
            "El Gobierno quiere que el 70 % de la electricidad sea renovable en 2035.",
        ],
        photo="Paneles de la planta solar de Llano Dorado",
    ),
    # -- a nationwide telecom outage in Fjellmark, Wednesday ----------------------------------
    A(
        "telecom-outage",
        "eidsvika-dagblad",
        "nyheter/brudd-nordlys-telekom",
        3,
        "08:20",
        "Stort brudd hos Nordlys Telekom: mobilnettet nede i hele landet",
        "Marte Lyngstad",
        [
            "Nordlys Telekoms mobil- og bredbåndsnett har vært nede i hele Fjellmark siden "
            "klokken 05.40 onsdag. Rundt 2,3 millioner kunder er berørt.",
            "Selskapet opplyser at feilen skyldes en programvareoppdatering i kjernenettet som "
            "gikk galt i natt.",
            "Nødsamtaler blir satt over til andre nett, opplyser Direktoratet for "
            "samfunnssikkerhet. Flere banker melder at kortbetaling i butikk ikke fungerer.",
            "– Vi beklager sterkt, sier konsernsjef Kari Vangen.",
        ],
    ),
    A(
        "telecom-outage",
        "fjordposten",
        "nyheter/nordlys-kunder-uten-mobil",
        3,
        "09:10",
        "Nordlys-kunder uten mobil og internett",
        "Hege Strand",
        [
            "Onsdag morgen var det stille på mobilen for Nordlys Telekoms 2,3 millioner kunder. "
            "En feil i en programvareoppdatering slo ut nettet klokken 05.40.",
            "På kaia i Eidsvika fikk ikke fiskerne sendt fangstdata, og i flere butikker "
            "måtte kundene betale kontant.",
            "Digitaliseringsminister Eirik Sande krever en full rapport fra selskapet innen "
            "14 dager.",
        ],
    ),
    A(
        "telecom-outage",
        "northgate-post",
        "tech/nordlys-telekom-outage",
        3,
        "10:30",
        "Nationwide outage knocks out Nordlys Telekom network in Fjellmark",
        "Hannah Ilves",
        [
            "A failed software update knocked out the mobile and broadband network of Nordlys "
            "Telekom, Fjellmark's largest telecoms operator, on Wednesday, leaving about 2.3 "
            "million customers without service.",
            "The outage began at 05:40 local time. Emergency calls were routed through other "
            "networks, but card payments failed in many shops.",
            "Chief executive Kari Vangen apologised to customers. Digitalisation minister Eirik "
            "Sande gave the company 14 days to explain what went wrong.",
        ],
    ),
    A(
        "telecom-outage",
        "hallenburger-rundschau",
        "digital/stoerung-nordlys-telekom",
        3,
        "11:50",
        "Landesweite Störung bei Nordlys Telekom in Fjellmark",
        "Clara Neumeyer",
        [
            "In Fjellmark sind seit dem frühen Mittwochmorgen rund 2,3 Millionen Kunden des "
            "Anbieters Nordlys Telekom ohne Mobilfunk und Internet.",
            "Ursache ist nach Angaben des Unternehmens ein fehlerhaftes Software-Update im "
            "Kernnetz, das um 5.40 Uhr eingespielt wurde.",
            "Notrufe werden über andere Netze geleitet. Konzernchefin Kari Vangen entschuldigte "
            "sich; Digitalminister Eirik Sande verlangt binnen 14 Tagen einen Bericht.",
        ],
    ),
    A(
        "telecom-outage",
        "diario-costeno",
        "internacional/apagon-telecomunicaciones-fjellmark",
        3,
        "08:05",
        "Un apagón de telecomunicaciones deja sin móvil a Fjellmark",
        "Paula Estévez",
        [
            "Unos 2,3 millones de clientes de Nordlys Telekom, la mayor operadora de Fjellmark, "
            "se quedaron el miércoles sin teléfono móvil ni internet.",
            "La caída comenzó a las 5.40 hora local por una actualización de software "
            "defectuosa en la red central, según la empresa.",
            "Las llamadas de emergencia se desviaron a otras redes. La consejera delegada, "
            "Kari Vangen, pidió disculpas.",
        ],
    ),
    # -- an aircraft order, Wednesday --------------------------------------------------------
    A(
        "airline-order",
        "eidsvika-dagblad",
        "okonomi/polarfly-bestiller-fly",
        3,
        "12:00",
        "Polarfly bestiller tolv nye fly",
        "Henrik Vold",
        [
            "Flyselskapet Polarfly har bestilt tolv nye fly av typen Aerovance AV-190. Ordren "
            "har en verdi på rundt 9 milliarder kroner.",
            "Flyene skal leveres mellom 2028 og 2030 og erstatte de eldste maskinene i flåten.",
            "– Nye fly bruker en fjerdedel mindre drivstoff, og det gjør det mulig å åpne nye "
            "ruter, blant annet mellom Eidsvika og Corvenna, sier konsernsjef Sigrid Lunde.",
        ],
    ),
    A(
        "airline-order",
        "fjordposten",
        "naeringsliv/polarfly-ordre",
        3,
        "13:30",
        "Polarfly satser på nye fly til 9 milliarder",
        "Hege Strand",
        [
            "Polarfly kjøper tolv Aerovance AV-190 for om lag 9 milliarder kroner, den største "
            "flyordren i selskapets historie.",
            "Konsernsjef Sigrid Lunde sier at de nye flyene gjør det lønnsomt å fly til flere "
            "byer på kontinentet.",
            "Fagforeningen for kabinansatte ønsker ordren velkommen, men vil ha garantier for "
            "at nye ruter bemannes med fast ansatte.",
        ],
    ),
    A(
        "airline-order",
        "corvenna-ledger",
        "business/polarfly-orders-jets",
        3,
        "17:00",
        "Fjellmark airline Polarfly orders 12 new jets",
        "Tomasz Reeve",
        [
            "Polarfly, Fjellmark's national airline, has ordered twelve Aerovance AV-190 "
            "aircraft worth about 9 billion kroner, with deliveries from 2028 to 2030.",
            "Chief executive Sigrid Lunde said the new aircraft would allow a direct route "
            "between Eidsvika and Corvenna for the first time.",
        ],
    ),
    # -- the new airport terminal: one agency text, two German outlets, one English report ---
    A(
        "airport-terminal",
        "hallenburger-rundschau",
        "region/terminal-3-eroeffnet",
        2,
        "09:00",
        "Terminal 3 am Flughafen Hallenburg-Ost eröffnet",
        "ZPA",
        list(TERMINAL_WIRE),
        wire="zpa",
    ),
    A(
        "airport-terminal",
        "tagesbote",
        "aktuell/flughafen-neues-terminal",
        2,
        "09:40",
        "Neues Terminal verdoppelt Kapazität des Flughafens Hallenburg-Ost",
        "ZPA",
        [*TERMINAL_WIRE, "Der Tagesbote berichtet in seiner Freitagsausgabe ausführlich."],
        wire="zpa",
    ),
    A(
        "airport-terminal",
        "northgate-post",
        "world/hallenburg-airport-terminal",
        2,
        "14:00",
        "Hallenburg airport opens terminal for 12 million passengers",
        "Hannah Ilves",
        [
            "Hallenburg-Ost airport opened its new Terminal 3 on Tuesday, doubling its capacity "
            "to 12 million passengers a year.",
            "The terminal took five years to build and cost 1.9 billion marks. The first flight "
            "to arrive came from Eidsvika in Fjellmark.",
            'Transport minister Petra Lindqvist called Hallenburg "the gateway to the north". '
            "Residents near the runways fear more night flights.",
        ],
    ),
]
