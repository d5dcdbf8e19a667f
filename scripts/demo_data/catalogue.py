"""The machinery catalogue: sixty products, priced once per discount level.

Lines are drawn by the hundred thousand, so everything a line needs (product id, category,
list price, discounted unit price in paise, how likely each business type is to buy it) is
precomputed here as arrays. Unit prices come from ``resolvers.money.discounted_unit_price``,
so demo documents are priced exactly as the API would price them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from resolvers.money import discounted_unit_price
from scripts.demo_data.clock import DAY, HISTORY_DAYS, to_datetime
from scripts.demo_data.probabilities import CATEGORY_P, DISCOUNT_P, DISCOUNTS
from scripts.demo_data.sampling import cumulative

CATEGORIES = ("CNC Machines", "Lathes", "Compressors", "Pumps", "Spare Parts", "Service Contracts")
CATEGORY_BLURB = (
    "CNC machine with Fanuc/Siemens control, installation and operator training included.",
    "Conventional lathe, hardened and ground bed ways, standard accessories.",
    "Industrial air compressor, IE3 motor, energy-efficient operation.",
    "Pump set for industrial, agricultural and utility duty; ISI marked.",
    "Genuine spare part, ex-stock from our central warehouse.",
    "On-site service by factory-trained engineers.",
)
# (sku, name, category index, list price in rupees)
PRODUCTS: tuple[tuple[str, str, int, str], ...] = (
    ("CNC-VMC-640", "Vertical Machining Centre VMC 640", 0, "2850000"),
    ("CNC-VMC-850", "Vertical Machining Centre VMC 850", 0, "3675000"),
    ("CNC-VMC-1060", "Vertical Machining Centre VMC 1060", 0, "4890000"),
    ("CNC-TC-200", "CNC Turning Centre TC 200", 0, "1980000"),
    ("CNC-TC-300L", "CNC Turning Centre TC 300L", 0, "2740000"),
    ("CNC-HMC-500", "Horizontal Machining Centre HMC 500", 0, "9200000"),
    ("CNC-RTR-1325", "CNC Wood Router 1325", 0, "685000"),
    ("CNC-LSR-3015", "Fibre Laser Cutting Machine 3015 (3 kW)", 0, "4250000"),
    ("CNC-PB-100T", "CNC Press Brake 100 T", 0, "1860000"),
    ("CNC-EDM-W400", "Wire Cut EDM W400", 0, "2430000"),
    ("LTH-AG-1500", "All Geared Lathe 1500 mm", 1, "345000"),
    ("LTH-AG-2000", "All Geared Lathe 2000 mm", 1, "420000"),
    ("LTH-HD-3000", "Heavy Duty Lathe 3000 mm", 1, "875000"),
    ("LTH-BN-450", "Bench Lathe 450 mm", 1, "68500"),
    ("LTH-VB-1200", "V-Belt Lathe 1200 mm", 1, "148000"),
    ("LTH-TR-1000", "Tool Room Lathe TRL 1000", 1, "610000"),
    ("LTH-RT-4000", "Roll Turning Lathe 4 m", 1, "1890000"),
    ("LTH-PT-250", "Pipe Threading Lathe PT 250", 1, "1125000"),
    ("LTH-CP-32", "Capstan Lathe 32 mm", 1, "235000"),
    ("CMP-SC-7.5", "Screw Air Compressor 7.5 kW", 2, "285000"),
    ("CMP-SC-15", "Screw Air Compressor 15 kW", 2, "460000"),
    ("CMP-SC-37", "Screw Air Compressor 37 kW", 2, "895000"),
    ("CMP-VSD-75", "VSD Screw Compressor 75 kW", 2, "1740000"),
    ("CMP-RC-3HP", "Reciprocating Compressor 3 HP", 2, "58000"),
    ("CMP-RC-10HP", "Reciprocating Compressor 10 HP", 2, "132000"),
    ("CMP-DRY-250", "Refrigerated Air Dryer 250 CFM", 2, "115000"),
    ("CMP-OF-22", "Oil-free Scroll Compressor 22 kW", 2, "1280000"),
    ("PMP-CM-1HP", "Centrifugal Monoblock Pump 1 HP", 3, "8450"),
    ("PMP-CM-5HP", "Centrifugal Monoblock Pump 5 HP", 3, "24900"),
    ("PMP-SB-7.5HP", "Submersible Borewell Pump 7.5 HP", 3, "46500"),
    ("PMP-SB-15HP", "Submersible Borewell Pump 15 HP", 3, "89000"),
    ("PMP-ES-40HP", "End Suction Pump 40 HP", 3, "165000"),
    ("PMP-SL-75", "Slurry Pump 75 mm", 3, "210000"),
    ("PMP-DS-10", "Chemical Dosing Pump 10 LPH", 3, "18750"),
    ("PMP-FH-50HP", "Fire Hydrant Pump Set 50 HP", 3, "475000"),
    ("PMP-SLR-3HP", "Solar Water Pump 3 HP", 3, "138000"),
    ("SPR-BRG-6205", "Deep Groove Ball Bearing 6205", 4, "185"),
    ("SPR-BRG-22216", "Spherical Roller Bearing 22216", 4, "6450"),
    ("SPR-BLT-B52", "V-Belt B52", 4, "340"),
    ("SPR-CHK-250", "3-Jaw Lathe Chuck 250 mm", 4, "14800"),
    ("SPR-INS-CNMG", "Carbide Insert CNMG 120408 (box of 10)", 4, "3250"),
    ("SPR-TH-BT40", "BT40 Tool Holder", 4, "5600"),
    ("SPR-SPB-VMC", "Spindle Bearing Set (VMC)", 4, "48500"),
    ("SPR-BS-3210", "Ball Screw 32 mm x 1000 mm", 4, "22400"),
    ("SPR-FLT-AIR", "Compressor Air Filter Element", 4, "1950"),
    ("SPR-OIL-SEP", "Compressor Oil Separator", 4, "7800"),
    ("SPR-SEAL-35", "Pump Mechanical Seal 35 mm", 4, "2650"),
    ("SPR-IMP-5HP", "Pump Impeller (5 HP)", 4, "3900"),
    ("SPR-CLN-20L", "Cutting Coolant 20 L", 4, "4200"),
    ("SPR-HYD-68", "Hydraulic Oil ISO VG 68 (20 L)", 4, "3480"),
    ("SPR-SRV-1.5", "Servo Motor 1.5 kW", 4, "38900"),
    ("SPR-CON-32A", "Contactor 32 A", 4, "1150"),
    ("SVC-AMC-CNC", "Annual Maintenance Contract - CNC Machine", 5, "125000"),
    ("SVC-AMC-LTH", "Annual Maintenance Contract - Lathe", 5, "35000"),
    ("SVC-AMC-CMP", "Annual Maintenance Contract - Compressor", 5, "48000"),
    ("SVC-AMC-PMP", "Annual Maintenance Contract - Pump Set", 5, "12500"),
    ("SVC-INST", "Installation and Commissioning", 5, "25000"),
    ("SVC-TRN-CNC", "CNC Operator Training (5 days)", 5, "18000"),
    ("SVC-CAL", "Machine Calibration and Laser Alignment", 5, "32000"),
    ("SVC-BRK", "Breakdown Visit (per day)", 5, "6500"),
)


def make_products(now_ts: int, first_id: int) -> list[dict[str, Any]]:
    created = to_datetime(now_ts - (HISTORY_DAYS + 90) * DAY)
    return [
        {
            "id": first_id + offset,
            "sku": sku,
            "name": name,
            "category": CATEGORIES[category],
            "description": CATEGORY_BLURB[category],
            "list_price": Decimal(price).quantize(Decimal("0.01")),
            "active": True,
            "created_at": created,
        }
        for offset, (sku, name, category, price) in enumerate(PRODUCTS)
    ]


class Catalogue:
    """Products as arrays, with per-business-type sampling tables and priced units."""

    def __init__(self, products: list[dict[str, Any]]) -> None:
        self.skus = [p["sku"] for p in products]
        self.names = [p["name"] for p in products]
        self.ids = np.array([p["id"] for p in products], dtype=np.int64)
        self.category = np.array([row[2] for row in PRODUCTS], dtype=np.int64)
        prices = [p["list_price"] for p in products]
        self.list_paise = np.array([int(p * 100) for p in prices], dtype=np.int64)
        # Unit price per (product, discount level), from resolvers.money.
        self.unit_paise = np.array(
            [[int(discounted_unit_price(p, Decimal(d)) * 100) for d in DISCOUNTS] for p in prices],
            dtype=np.int64,
        )
        self.discount_hundredths = np.array([int(Decimal(d) * 100) for d in DISCOUNTS])
        # Within a category cheaper items sell more often.
        within = 1.0 / np.power(self.list_paise / 100.0, 0.25)
        table = np.zeros((4, len(products)))
        for t in range(4):
            for c in range(len(CATEGORIES)):
                members = self.category == c
                if members.any():
                    share = within[members] / within[members].sum()
                    table[t, members] = CATEGORY_P[t, c] * share
        self.product_cum = cumulative(table)
        self.discount_cum = cumulative(DISCOUNT_P)
