"""Two different earthquakes and two different rate decisions: same topic, different events.
All fictional."""

from __future__ import annotations

from content import Article

A = Article

ARTICLES = [
    # -- an earthquake in northern Fjellmark, Tuesday ----------------------------------------
    A(
        "quake-fjellmark",
        "eidsvika-dagblad",
        "nyheter/jordskjelv-skarvik",
        2,
        "05:30",
        "Jordskjelv med styrke 5,8 rystet Skarvik",
        "Marte Lyngstad",
        [
            "Et jordskjelv med styrke 5,8 rystet Skarvik og store deler av Nord-Fjellmark "
            "klokken 04.12 natt til tirsdag.",
            "Episenteret lå 14 kilometer nordøst for Skarvik, på om lag ti kilometers dyp, "
            "opplyser Fjellmarks geologiske institutt.",
            "Tolv personer ble lettere skadet, de fleste av glass og gjenstander som falt ned. "
            "Kirketårnet i Skarvik fikk store sprekker, og sentrum er sperret av.",
            "– Dette er det kraftigste skjelvet i regionen siden 1958, sier seismolog Trond "
            "Hagemo ved instituttet.",
            "Rundt 300 innbyggere tilbrakte natten i idrettshallen.",
        ],
        photo="Sprekker i kirketårnet i Skarvik",
    ),
    A(
        "quake-fjellmark",
        "fjordposten",
        "nyheter/kraftig-skjelv-skarvik",
        2,
        "06:15",
        "Kraftig skjelv vekket innbyggerne i Skarvik",
        "Eirik Nordvik",
        [
            "Mange i Skarvik våknet av at huset ristet natt til tirsdag. Skjelvet hadde en "
            "styrke på 5,8 og kom klokken 04.12.",
            "– Bokhyllene veltet og hunden nektet å gå inn igjen, forteller Solveig Aasen, som "
            "bor i sentrum av Skarvik.",
            "Ifølge politiet ble tolv personer lettere skadet. Kirketårnet er skadet, og flere "
            "veier er stengt mens bruer og tunneler kontrolleres.",
            "Seismolog Trond Hagemo sier det kan komme etterskjelv de neste dagene.",
        ],
    ),
    A(
        "quake-fjellmark",
        "corvenna-ledger",
        "world/earthquake-northern-fjellmark",
        2,
        "08:00",
        "Magnitude 5.8 earthquake shakes northern Fjellmark",
        "Priya Castellan",
        [
            "An earthquake of magnitude 5.8 struck northern Fjellmark at 04:12 local time on "
            "Tuesday, injuring twelve people and damaging the church tower in the town of "
            "Skarvik.",
            "The epicentre was 14 kilometres north-east of Skarvik at a depth of about ten "
            "kilometres, according to the Fjellmark Geological Institute.",
            "Seismologist Trond Hagemo said it was the strongest earthquake in the region since "
            "1958. About 300 residents spent the night in a sports hall.",
            "Fjellmark rarely experiences strong earthquakes, and building codes in the north "
            "were tightened only in 2012.",
        ],
    ),
    A(
        "quake-fjellmark",
        "hallenburger-rundschau",
        "welt/erdbeben-fjellmark",
        2,
        "09:30",
        "Erdbeben der Stärke 5,8 erschüttert den Norden von Fjellmark",
        "Clara Neumeyer",
        [
            "Ein Erdbeben der Stärke 5,8 hat in der Nacht zum Dienstag den Norden von Fjellmark "
            "erschüttert. Zwölf Menschen wurden leicht verletzt.",
            "Das Epizentrum lag nach Angaben des Geologischen Instituts von Fjellmark 14 "
            "Kilometer nordöstlich der Kleinstadt Skarvik in etwa zehn Kilometern Tiefe.",
            "Der Kirchturm von Skarvik wurde schwer beschädigt. Rund 300 Bewohner verbrachten "
            "die Nacht in einer Sporthalle.",
            "Es war nach Angaben des Seismologen Trond Hagemo das stärkste Beben in der Region "
            "seit 1958.",
        ],
    ),
    # -- an earthquake in southern Costaluna, Thursday ----------------------------------------
    A(
        "quake-costaluna",
        "el-faro",
        "costaluna/sismo-villa-serena",
        4,
        "03:40",
        "Un sismo de magnitud 6,4 sacude Villa Serena",
        "Andrés Quiroga",
        [
            "Un terremoto de magnitud 6,4 sacudió a la 1.47 de la madrugada del jueves el sur "
            "de Costaluna, con epicentro a 22 kilómetros al sur de Villa Serena.",
            "El Servicio Sismológico Nacional situó el hipocentro a 35 kilómetros de "
            "profundidad y registró más de 30 réplicas en las horas siguientes.",
            "Al menos dos personas murieron y 47 resultaron heridas, según Protección Civil. "
            "Unas 180 viviendas sufrieron daños.",
            "La presidenta Marisol Ferrando anunció que viajará a Villa Serena por la mañana.",
        ],
        photo="Vecinos de Villa Serena en la plaza tras el sismo",
    ),
    A(
        "quake-costaluna",
        "diario-costeno",
        "pais/terremoto-sur-costaluna",
        4,
        "04:55",
        "Terremoto en el sur de Costaluna deja dos muertos",
        "Paula Estévez",
        [
            "Dos personas murieron y 47 resultaron heridas por el terremoto de magnitud 6,4 que "
            "sacudió esta madrugada la región de Villa Serena.",
            "\u00abNunca había sentido algo así; salimos a la calle en pijama\u00bb, contó "
            "Rosa Mendiola, vecina del barrio de San Telmo.",
            "El director del Servicio Sismológico Nacional, Andrés Peñalba, pidió a la "
            "población no volver a las casas dañadas por el riesgo de réplicas.",
            "Las clases quedaron suspendidas el jueves en toda la provincia.",
        ],
    ),
    A(
        "quake-costaluna",
        "northgate-post",
        "world/earthquake-kills-two-costaluna",
        4,
        "07:10",
        "Earthquake kills two in southern Costaluna",
        "Hannah Ilves",
        [
            "A magnitude 6.4 earthquake struck southern Costaluna early on Thursday, killing two "
            "people and injuring 47, civil protection officials said.",
            "The quake hit at 01:47 local time with its epicentre 22 kilometres south of the "
            "town of Villa Serena, at a depth of 35 kilometres.",
            "Around 180 homes were damaged and more than 30 aftershocks were recorded. "
            "President Marisol Ferrando was expected to visit the area later in the day.",
        ],
    ),
    A(
        "quake-costaluna",
        "tagesbote",
        "welt/erdbeben-costaluna",
        4,
        "09:00",
        "Zwei Tote bei Erdbeben in Costaluna",
        "Felix Brandauer",
        [
            "Bei einem Erdbeben der Stärke 6,4 im Süden Costalunas sind in der Nacht zum "
            "Donnerstag zwei Menschen ums Leben gekommen, 47 wurden verletzt.",
            "Das Epizentrum lag 22 Kilometer südlich der Stadt Villa Serena in 35 Kilometern "
            "Tiefe. Rund 180 Häuser wurden beschädigt.",
            "Präsidentin Marisol Ferrando kündigte Hilfe für die betroffene Region an.",
        ],
    ),
    # -- a rate rise in Brandtal, Wednesday ------------------------------------------------------
    A(
        "rate-brandtal",
        "hallenburger-rundschau",
        "wirtschaft/zentralbank-leitzins",
        3,
        "14:15",
        "Brandtaler Zentralbank erhöht Leitzins auf 3,75 Prozent",
        "Martin Albers",
        [
            "Die Brandtaler Zentralbank hat ihren Leitzins am Mittwoch um einen Viertelpunkt "
            "auf 3,75 Prozent angehoben. Es ist die zweite Erhöhung in diesem Jahr.",
            "Die Inflation lag im Oktober bei 4,2 Prozent und damit deutlich über dem Ziel von "
            "zwei Prozent.",
            "\u201ePreisstabilität hat Vorrang\u201c, sagte Zentralbankpräsidentin Ulrike "
            "Wendtner in Hallenburg. Der Rat habe mit sechs zu einer Stimme entschieden.",
            "Die nächste Zinssitzung ist für Mitte Dezember geplant.",
        ],
    ),
    A(
        "rate-brandtal",
        "tagesbote",
        "wirtschaft/zinsschritt-zentralbank",
        3,
        "14:40",
        "Zinsschritt: Brandtals Zentralbank strafft erneut",
        "Sabine Roth",
        [
            "Kredite in Brandtal werden teurer: Die Zentralbank setzt den Leitzins von 3,5 auf "
            "3,75 Prozent herauf.",
            "Präsidentin Ulrike Wendtner begründete den Schritt mit der hartnäckigen Inflation "
            "von 4,2 Prozent. Ein Ratsmitglied stimmte gegen die Erhöhung.",
            "Sparkassen kündigten an, die Zinsen für Baukredite bereits ab kommender Woche "
            "anzupassen.",
        ],
    ),
    A(
        "rate-brandtal",
        "northgate-post",
        "economy/brandtal-raises-rates",
        3,
        "15:30",
        "Brandtal central bank raises rates to 3.75% to fight inflation",
        "Hannah Ilves",
        [
            "Brandtal's central bank raised its main interest rate by a quarter point to 3.75% "
            "on Wednesday, its second increase this year, as inflation stayed stubbornly high.",
            'Consumer prices rose 4.2% in October from a year earlier. "Price stability comes '
            'first," central bank president Ulrike Wendtner said in Hallenburg.',
            "The decision was taken by six votes to one. Economists had been split on whether "
            "the bank would move this month.",
        ],
    ),
    A(
        "rate-brandtal",
        "corvenna-ledger",
        "business/brandtal-lifts-key-rate",
        3,
        "16:45",
        "Brandtal lifts key rate for second time this year",
        "Tomasz Reeve",
        [
            "The Brandtal Central Bank lifted its key interest rate to 3.75% from 3.5% on "
            "Wednesday, citing inflation of 4.2%.",
            "President Ulrike Wendtner said the bank's council had voted six to one for the "
            "increase.",
            "Valdorian exporters to Brandtal, the country's second-largest trading partner, "
            "said higher rates there could weigh on orders next year.",
        ],
    ),
    # -- the Bank of Valdoria holds, the same Wednesday ---------------------------------------
    A(
        "rate-valdoria",
        "corvenna-ledger",
        "business/bank-of-valdoria-holds",
        3,
        "12:00",
        "Bank of Valdoria holds interest rate at 2.5%",
        "Tomasz Reeve",
        [
            "The Bank of Valdoria kept its benchmark interest rate unchanged at 2.5% on "
            "Wednesday, saying inflation of 2.1% was close to its target.",
            "Governor Elias Marchetti said the port strike in Marosa was a risk to growth in "
            "the fourth quarter but too short-lived to change the outlook.",
            "All nine members of the monetary committee voted to hold.",
        ],
    ),
    A(
        "rate-valdoria",
        "northgate-post",
        "economy/valdoria-rates-unchanged",
        3,
        "12:40",
        "Valdoria leaves rates unchanged as inflation nears target",
        "Owen Achterberg",
        [
            "Valdoria's central bank left borrowing costs on hold at 2.5 per cent on Wednesday "
            "in a unanimous decision.",
            "Governor Elias Marchetti said inflation, at 2.1 per cent in October, was now close "
            "to the bank's 2 per cent target, and that there was no case for a cut yet.",
            "The governor played down the economic effect of the dockworkers' strike.",
        ],
    ),
]
